import { answerClientError } from '../answer-client-error.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type { SimEvent, SimWorld } from '../../engine/types.js';
import type { BinanceFacadeContext } from './facade-context.js';
import { type FacadeTap, PASS_THROUGH, type TapRestRequest } from '../facade-tap.js';
import { readBody } from '../http-body.js';
import { ListenKeys } from './listen-keys.js';
import { MarketStreamHub } from './market-stream-hub.js';
import { OrderHistory } from './order-history.js';
import { KeyRing } from './request-auth.js';
import { routeRest } from './rest-router.js';
import { BinanceSymbols } from './symbols.js';
import { RollingTickerStats } from './ticker-stats.js';
import { UserDataHub } from './user-data-hub.js';
import { WsGateway } from './ws-gateway.js';

/** The demo credentials the façade accepts unless others are given (public on purpose: loopback only). */
export const BINANCE_DEMO_API_KEY = 'pSimBinanceDemoKey0000000000000000000000000000000000000000000001';
export const BINANCE_DEMO_API_SECRET = 'pSimBinanceDemoSecret000000000000000000000000000000000000000001';

export interface BinanceFacadeOptions {
  world: SimWorld;
  /** Engine venue to serve (default 'binanceusdm'). */
  venue?: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  apiKey?: string;
  apiSecret?: string;
  /** Engine account the key trades as (default 'binance-demo'); created when missing. */
  accountId?: string;
  /** Wallet of an account the façade creates (default '100000' of the venue's quote asset). */
  initialBalance?: string;
  /** Fault-injection seam (see facade-tap.ts); replaceable later with setTap. */
  tap?: FacadeTap;
  /** Server clock for request timestamps and GET /time (default Date.now: clients sign with wall time). */
  serverClock?: () => number;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  /** Unexpected internal errors (answered as -1000); default: ignored. */
  onInternalError?: (err: unknown) => void;
}

export interface BinanceFacade {
  /** Origin to send REST calls to, e.g. http://127.0.0.1:34567 (paths are Binance's: /fapi/v1/...). */
  restUrl: string;
  /** Base of the stream endpoints, e.g. ws://127.0.0.1:34567/ws (routed /public, /market, /private work too). */
  wsUrl: string;
  credentials: { apiKey: string; secret: string };
  accountId: string;
  setTap(tap: FacadeTap): void;
  close(): Promise<void>;
}

export async function startBinanceFacade(opts: BinanceFacadeOptions): Promise<BinanceFacade> {
  const engine = opts.world.venue(opts.venue ?? 'binanceusdm');
  const apiKey = opts.apiKey ?? BINANCE_DEMO_API_KEY;
  const secret = opts.apiSecret ?? BINANCE_DEMO_API_SECRET;
  const accountId = opts.accountId ?? 'binance-demo';
  if (!engine.hasAccount(accountId)) {
    const created = engine.createAccount(accountId, opts.initialBalance ?? '100000');
    if (!created.ok) throw new Error(`binance façade: cannot create account ${accountId}: ${created.message}`);
  }
  let tap: FacadeTap = opts.tap ?? PASS_THROUGH;
  const serverTime = opts.serverClock ?? Date.now;
  const symbols = BinanceSymbols.of(engine);
  const listenKeys = new ListenKeys(serverTime);
  const markets = new MarketStreamHub(engine, symbols);
  const users = new UserDataHub(engine, symbols, listenKeys);
  const gateway = new WsGateway({
    markets,
    users,
    listenKeys,
    tap: () => tap,
    pingIntervalMs: opts.pingIntervalMs ?? 180_000,
    pongTimeoutMs: opts.pongTimeoutMs ?? 600_000,
  });
  const ctx: BinanceFacadeContext = {
    engine,
    symbols,
    keys: new KeyRing([{ apiKey, secret, accountId }]),
    listenKeys,
    tickers: new Map(),
    history: new OrderHistory(),
    serverTime,
    marketTime: () => opts.world.now(),
    onListenKeyClosed: (k) => gateway.listenKeyGone(k, opts.world.now()),
  };
  for (const inst of symbols.instruments()) {
    const stats = new RollingTickerStats();
    for (const t of engine.recentTrades(inst.symbol, 1000)) stats.add(t);
    ctx.tickers.set(inst.symbol, stats);
  }

  const onEvent = (e: SimEvent): void => {
    switch (e.type) {
      case 'book':
      case 'mark':
      case 'status':
        markets.onEvent(e);
        return;
      case 'trade':
        ctx.tickers.get(e.symbol)?.add(e);
        markets.onEvent(e);
        return;
      case 'order':
        ctx.history.record(e.order);
        users.onEvent(e);
        return;
      default:
        users.onEvent(e);
    }
  };
  const unsubscribe = engine.subscribe((e) => {
    try {
      onEvent(e);
    } catch (err) {
      opts.onInternalError?.(err);
    }
  });

  const sweeper = setInterval(() => {
    for (const k of listenKeys.sweepExpired()) gateway.listenKeyGone(k, opts.world.now());
  }, 10_000);
  sweeper.unref();

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void handleHttp(req, res).catch((err: unknown) => {
      opts.onInternalError?.(err);
      if (!res.headersSent) sendJson(res, 500, { code: -1000, msg: 'An unknown error occured while processing the request.' });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', answerClientError);
  server.on('upgrade', (req, socket, head: Buffer) => gateway.handleUpgrade(req, socket, head));

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) {
      sendJson(res, 413, { code: -1000, msg: 'Request body too large.' });
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const tapReq: TapRestRequest = {
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      body,
      headers: req.headers,
    };
    // The seam: one place every REST request passes before it is handled.
    const verdict = tap.rest ? await tap.rest(tapReq) : { kind: 'pass' as const };
    if (verdict.kind === 'hang') return;
    if (verdict.kind === 'respond') {
      res.writeHead(verdict.status, { 'Content-Type': 'application/json;charset=UTF-8', ...verdict.headers });
      res.end(verdict.body);
      return;
    }
    const contentType = String(req.headers['content-type'] ?? '');
    const answer = routeRest(ctx, {
      method: tapReq.method,
      path: tapReq.path,
      rawQuery: tapReq.query,
      rawBody: body,
      formBody: body !== '' && (contentType === '' || contentType.startsWith('application/x-www-form-urlencoded')),
      apiKeyHeader: req.headers['x-mbx-apikey'],
    });
    if (verdict.kind === 'act_then_hang') return; // acted; the answer is lost
    sendJson(res, answer.status, answer.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    restUrl: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}/ws`,
    credentials: { apiKey, secret },
    accountId,
    setTap(next: FacadeTap) {
      tap = next;
    },
    async close() {
      unsubscribe();
      clearInterval(sweeper);
      markets.close();
      users.close();
      gateway.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    'X-MBX-USED-WEIGHT-1M': '1',
  });
  res.end(text);
}
