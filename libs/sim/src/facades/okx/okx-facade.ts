import { answerClientError } from '../answer-client-error.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SimEvent, SimOrder, SimWorld } from '../../engine/types.js';
import { type FacadeTap, PASS_THROUGH, type TapRestRequest } from '../facade-tap.js';
import { readBody } from '../http-body.js';
import { RollingStats } from '../rolling-trade-stats.js';
import type { OkxFacadeContext } from './facade-context.js';
import { OkxInstruments } from './okx-instruments.js';
import { OkxOrderKeeper, type PlacedOrderRecord } from './order-keeper.js';
import { OkxKeyRing } from './request-auth.js';
import { routeRest } from './rest-routes.js';
import { OKX_WS_PATHS, OkxWsGateway } from './ws-gateway.js';

/** The demo credentials the façade accepts unless others are given (public on purpose: loopback only). */
export const OKX_DEMO_API_KEY = 'pSimOkxDemoKey01';
export const OKX_DEMO_API_SECRET = 'pSimOkxDemoSecret000000000000000001';
export const OKX_DEMO_PASSPHRASE = 'pSimOkxPassphrase1';

export interface OkxFacadeOptions {
  world: SimWorld;
  /** Engine venue to serve (default 'okx'). */
  venue?: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  apiKey?: string;
  apiSecret?: string;
  passphrase?: string;
  /** Engine account the key trades as (default 'okx-demo'); created when missing. */
  accountId?: string;
  /** Wallet of an account the façade creates (default '100000' of the venue's quote asset). */
  initialBalance?: string;
  tap?: FacadeTap;
  /** Server clock for request timestamps and /api/v5/public/time (default Date.now). */
  serverClock?: () => number;
  onInternalError?: (err: unknown) => void;
}

export interface OkxFacade {
  /** Origin for REST calls (paths are OKX's: /api/v5/...). */
  restUrl: string;
  /** The stream origin; OKX's paths /ws/v5/public, /ws/v5/private and /ws/v5/business are served on it. */
  wsUrl: string;
  publicWsUrl: string;
  privateWsUrl: string;
  credentials: { apiKey: string; secret: string; password: string };
  accountId: string;
  /** Every place request as received, sizes in contracts (oldest first, bounded). */
  placedOrders(): readonly PlacedOrderRecord[];
  /** The contract value (base units per contract) of a canonical symbol. */
  contractValue(symbol: string): string;
  setTap(tap: FacadeTap): void;
  close(): Promise<void>;
}

export async function startOkxFacade(opts: OkxFacadeOptions): Promise<OkxFacade> {
  const engine = opts.world.venue(opts.venue ?? 'okx');
  const apiKey = opts.apiKey ?? OKX_DEMO_API_KEY;
  const secret = opts.apiSecret ?? OKX_DEMO_API_SECRET;
  const passphrase = opts.passphrase ?? OKX_DEMO_PASSPHRASE;
  const accountId = opts.accountId ?? 'okx-demo';
  if (!engine.hasAccount(accountId)) {
    const created = engine.createAccount(accountId, opts.initialBalance ?? '100000');
    if (!created.ok) throw new Error(`okx façade: cannot create account ${accountId}: ${created.message}`);
  }
  let tap: FacadeTap = opts.tap ?? PASS_THROUGH;
  const accounts = new Set([accountId]);
  const stats = new Map<string, RollingStats>();
  const ctx: OkxFacadeContext = {
    engine,
    instruments: OkxInstruments.of(engine),
    keys: new OkxKeyRing([{ apiKey, secret, passphrase, accountId }]),
    keeper: new OkxOrderKeeper(),
    stats,
    quote: engine.config.quote,
    serverTime: opts.serverClock ?? Date.now,
    marketTime: () => opts.world.now(),
    publishOrder: (o: SimOrder) => gateway.pushOrder(o),
  };
  const gateway = new OkxWsGateway(ctx, () => tap, opts.onInternalError);
  for (const o of ctx.instruments.all()) {
    const s = new RollingStats();
    for (const t of engine.recentTrades(o.inst.symbol, 1000)) s.add(t);
    stats.set(o.inst.symbol, s);
  }

  const onEvent = (e: SimEvent): void => {
    switch (e.type) {
      case 'book':
        gateway.onBook(e);
        return;
      case 'trade':
        stats.get(e.symbol)?.add(e);
        gateway.onTrade(e);
        return;
      case 'mark':
        gateway.onMark(e);
        return;
      case 'status':
        return;
      default:
        // Only the façade's own accounts (never the world's house accounts) are tracked and streamed.
        if (!accounts.has(e.accountId)) return;
        if (e.type === 'order') {
          ctx.keeper.onEvent(e);
          gateway.onOrder(e);
        } else if (e.type === 'position') gateway.onPosition(e);
        else if (e.type === 'balance') gateway.onBalance(e);
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
      if (!res.headersSent) sendJson(res, 500, { code: '50026', msg: 'System error. Try again later.', data: [] });
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
      sendJson(res, 413, { code: '50000', msg: 'Body too large', data: [] });
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const tapReq: TapRestRequest = { method: req.method ?? 'GET', path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1), body, headers: req.headers };
    // The seam: every REST request passes the tap before it is handled.
    const verdict = tap.rest ? await tap.rest(tapReq) : { kind: 'pass' as const };
    if (verdict.kind === 'hang') return;
    if (verdict.kind === 'respond') {
      res.writeHead(verdict.status, { 'Content-Type': 'application/json; charset=utf-8', ...verdict.headers });
      res.end(verdict.body);
      return;
    }
    const answer = routeRest(ctx, { method: tapReq.method, path: tapReq.path, rawQuery: tapReq.query, body, headers: req.headers }, opts.onInternalError);
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
    wsUrl: `ws://${host}:${port}`,
    publicWsUrl: `ws://${host}:${port}${OKX_WS_PATHS.public}`,
    privateWsUrl: `ws://${host}:${port}${OKX_WS_PATHS.private}`,
    credentials: { apiKey, secret, password: passphrase },
    accountId,
    placedOrders: () => ctx.keeper.placedOrders(),
    contractValue: (symbol) => ctx.instruments.ofSymbol(symbol).ctVal,
    setTap(next: FacadeTap) {
      tap = next;
    },
    async close() {
      unsubscribe();
      gateway.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
