import { answerClientError } from '../answer-client-error.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SimEvent, SimWorld } from '../../engine/types.js';
import { type FacadeTap, PASS_THROUGH, type TapRestRequest } from '../facade-tap.js';
import { readBody } from '../http-body.js';
import { execution } from './account-endpoints.js';
import { positionWire, walletWire } from './account-wire.js';
import { errorEnvelope } from './envelope.js';
import { BybitErrors } from './errors.js';
import type { BybitFacadeContext } from './facade-context.js';
import { ticker } from './market-endpoints.js';
import { OrderStore } from './order-store.js';
import { orderWire } from './order-wire.js';
import { PrivateStreamHub } from './private-stream-hub.js';
import { PublicStreamHub } from './public-stream-hub.js';
import { KeyRing } from './request-auth.js';
import { routeRest } from './rest-router.js';
import { BybitSymbols } from './symbols.js';
import { RollingStats } from '../rolling-trade-stats.js';
import { PRIVATE_WS_PATH, PUBLIC_WS_PATH, WsGateway } from './ws-gateway.js';

/** The demo credentials the façade accepts unless others are given (public on purpose: loopback only). */
export const BYBIT_DEMO_API_KEY = 'pSimBybitDemoKey01';
export const BYBIT_DEMO_API_SECRET = 'pSimBybitDemoSecret0000000000000000001';

export interface BybitFacadeOptions {
  world: SimWorld;
  /** Engine venue to serve (default 'bybit'). */
  venue?: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  apiKey?: string;
  apiSecret?: string;
  /** Engine account the key trades as (default 'bybit-demo'); created when missing. */
  accountId?: string;
  /** Wallet of an account the façade creates (default '100000' of the venue's quote asset). */
  initialBalance?: string;
  /** Fault-injection seam (see facade-tap.ts); replaceable later with setTap. */
  tap?: FacadeTap;
  /** Server clock for request timestamps, WS auth expiry and /v5/market/time (default Date.now). */
  serverClock?: () => number;
  /** WS-level ping interval (default 20 s, Bybit's recommended heartbeat). */
  pingIntervalMs?: number;
  /** Unexpected internal errors (answered as 10016); default: ignored. */
  onInternalError?: (err: unknown) => void;
}

export interface BybitFacade {
  /** Origin for REST calls, e.g. http://127.0.0.1:34567 (paths are Bybit's: /v5/...). */
  restUrl: string;
  /** The linear public stream, ws://host:port/v5/public/linear. */
  publicWsUrl: string;
  /** The private stream, ws://host:port/v5/private. */
  privateWsUrl: string;
  credentials: { apiKey: string; secret: string };
  accountId: string;
  setTap(tap: FacadeTap): void;
  close(): Promise<void>;
}

export async function startBybitFacade(opts: BybitFacadeOptions): Promise<BybitFacade> {
  const engine = opts.world.venue(opts.venue ?? 'bybit');
  const apiKey = opts.apiKey ?? BYBIT_DEMO_API_KEY;
  const secret = opts.apiSecret ?? BYBIT_DEMO_API_SECRET;
  const accountId = opts.accountId ?? 'bybit-demo';
  if (!engine.hasAccount(accountId)) {
    const created = engine.createAccount(accountId, opts.initialBalance ?? '100000');
    if (!created.ok) throw new Error(`bybit façade: cannot create account ${accountId}: ${created.message}`);
  }
  let tap: FacadeTap = opts.tap ?? PASS_THROUGH;
  const serverTime = opts.serverClock ?? Date.now;
  const marketTime = () => opts.world.now();
  const symbols = BybitSymbols.of(engine);
  const keys = new KeyRing([{ apiKey, secret, accountId }]);
  const accounts = new Set([accountId]);
  const orders = new OrderStore();
  const stats = new Map<string, RollingStats>();
  const quote = engine.config.quote;

  const ctx: BybitFacadeContext = {
    engine,
    symbols,
    keys,
    orders,
    stats,
    serverTime,
    marketTime,
    publishOrder: (rec) => privateHub.order(rec.order.accountId, rec, rec.order.updatedAt),
  };
  const publicHub = new PublicStreamHub({ engine, symbols, ticker: (inst) => ticker(ctx, inst), marketTime });
  const privateHub = new PrivateStreamHub({
    order: (rec) => orderWire(rec, symbols.toVenue(rec.order.symbol), quote),
    execution: (fill) => execution(ctx, fill),
    position: (e) => {
      const inst = engine.instrument(e.position.symbol);
      if (!inst) throw new Error(`bybit façade: unknown symbol ${e.position.symbol}`);
      return positionWire(e.position, symbols.toVenue(inst.symbol), inst, e.ts);
    },
    wallet: (e) => walletWire(e.balance),
  });
  const gateway = new WsGateway({ publicHub, privateHub, keys, tap: () => tap, serverTime, pingIntervalMs: opts.pingIntervalMs ?? 20_000 });

  for (const inst of symbols.instruments()) {
    const s = new RollingStats();
    for (const t of engine.recentTrades(inst.symbol, 1000)) s.add(t);
    stats.set(inst.symbol, s);
  }

  const onEvent = (e: SimEvent): void => {
    switch (e.type) {
      case 'book':
      case 'mark':
      case 'status':
        publicHub.onEvent(e);
        return;
      case 'trade':
        stats.get(e.symbol)?.add(e);
        publicHub.onEvent(e);
        return;
      default:
        // Only the façade's own accounts (never the world's house accounts) are tracked and streamed.
        if (!accounts.has(e.accountId)) return;
        if (e.type === 'order') privateHub.order(e.accountId, orders.onEvent(e), e.ts);
        else if (e.type === 'fill') privateHub.execution(e.fill);
        else if (e.type === 'position') privateHub.position(e);
        else if (e.type === 'balance') privateHub.wallet(e);
    }
  };
  const unsubscribe = engine.subscribe((e) => {
    try {
      onEvent(e);
    } catch (err) {
      opts.onInternalError?.(err);
    }
  });

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void handleHttp(req, res).catch((err: unknown) => {
      opts.onInternalError?.(err);
      if (!res.headersSent) sendJson(res, 500, errorEnvelope(BybitErrors.internal(), serverTime()));
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
      sendJson(res, 413, errorEnvelope(BybitErrors.params('request body too large'), serverTime()));
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
    // The seam: every REST request passes the tap before it is handled.
    const verdict = tap.rest ? await tap.rest(tapReq) : { kind: 'pass' as const };
    if (verdict.kind === 'hang') return;
    if (verdict.kind === 'respond') {
      res.writeHead(verdict.status, { 'Content-Type': 'application/json; charset=utf-8', ...verdict.headers });
      res.end(verdict.body);
      return;
    }
    const answer = routeRest(ctx, { method: tapReq.method, path: tapReq.path, rawQuery: tapReq.query, rawBody: body, headers: req.headers }, opts.onInternalError);
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
    publicWsUrl: `ws://${host}:${port}${PUBLIC_WS_PATH}`,
    privateWsUrl: `ws://${host}:${port}${PRIVATE_WS_PATH}`,
    credentials: { apiKey, secret },
    accountId,
    setTap(next: FacadeTap) {
      tap = next;
    },
    async close() {
      unsubscribe();
      publicHub.close();
      privateHub.close();
      gateway.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Bapi-Limit': '10',
    'X-Bapi-Limit-Status': '9',
  });
  res.end(text);
}
