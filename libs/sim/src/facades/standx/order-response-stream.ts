/**
 * StandX's Order Response Stream, `/ws-api/v1` (docs.standx.com/standx-api/perps-ws,
 * "Order Response Stream"). Every client message is
 *   {"session_id": "<uuid>", "request_id": "<uuid>", "method": "auth:login" | "order:new" | "order:cancel",
 *    "header": {x-request-* signature headers}, "params": "<JSON text>"}
 * with `params` a JSON string: `{"token"}` for auth:login, the new_order / cancel_order
 * body for the others, signed like the REST body (the signature covers the params text).
 * Answers are `{"code":0,"message":"success","request_id"}` or a rejection
 * `{"code":400,"message":"alo order rejected","request_id"}`.
 *
 * Besides its own requests, a connection receives the matching outcome of every REST
 * new_order / cancel_order sent with `x-session-id` equal to its `session_id`, under the
 * REST call's `x-request-id` (assumed: the docs say the session ids must match and show
 * `request_id` in the answer, not which request id it is).
 * Assumed: auth:login answers `{code:0}` on success and `{code:401,...}` on failure; an
 * order method before auth answers 401; one order outcome per request.
 */
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { verifyBodySignature, type ReplayGuard } from './body-signature.js';
import { StandxHttpError } from './errors.js';
import type { FacadeContext } from './facade-context.js';
import type { Route } from './rest-api.js';
import type { GateClient, TrafficGate } from './traffic-gate.js';

export const ORDER_STREAM_PATH = '/ws-api/v1';

const Header = z
  .object({
    'x-request-sign-version': z.string().max(16).optional(),
    'x-request-id': z.string().max(128).optional(),
    'x-request-timestamp': z.string().max(32).optional(),
    'x-request-signature': z.string().max(256).optional(),
  })
  .partial();

export const OrderStreamRequest = z.object({
  session_id: z.string().min(1).max(128),
  request_id: z.string().min(1).max(128),
  method: z.enum(['auth:login', 'order:new', 'order:cancel']),
  header: Header.optional(),
  params: z.string().max(16 * 1024),
});

const LoginParams = z.object({ token: z.string().min(1).max(4096) });

interface Connection extends GateClient {
  sessionId: string | undefined;
  accountId: string | undefined;
}

export interface OrderOutcome {
  code: number;
  message: string;
}

export interface OrderResponseStreamDeps {
  ctx: FacadeContext;
  gate: TrafficGate;
  routes: Map<string, Route>;
  signatureWindowMs: number;
  replay: ReplayGuard;
}

export class OrderResponseStream {
  private readonly connections = new Set<Connection>();
  private nextId = 1_000_000;

  constructor(private readonly deps: OrderResponseStreamDeps) {}

  get clientCount(): number {
    return this.connections.size;
  }

  accept(ws: WebSocket, release: () => void): void {
    const c: Connection = { id: this.nextId++, socket: ws, tail: undefined, sessionId: undefined, accountId: undefined };
    this.connections.add(c);
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(c, data, isBinary));
    const gone = (): void => {
      this.connections.delete(c);
      release();
    };
    ws.on('close', gone);
    ws.on('error', () => {
      gone();
      ws.terminate();
    });
  }

  /** The matching outcome of a request, to every authenticated connection of the account with that session id. */
  deliver(accountId: string, sessionId: string, requestId: string, outcome: OrderOutcome): void {
    for (const c of this.connections) {
      if (c.accountId === accountId && c.sessionId === sessionId) this.reply(c, requestId, outcome);
    }
  }

  close(): void {
    for (const c of this.connections) c.socket.terminate();
    this.connections.clear();
  }

  private onMessage(c: Connection, data: RawData, isBinary: boolean): void {
    if (isBinary) return this.reply(c, undefined, { code: 400, message: 'binary frames are not supported' });
    let json: unknown;
    try {
      json = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
    } catch {
      return this.reply(c, undefined, { code: 400, message: 'malformed JSON' });
    }
    const parsed = OrderStreamRequest.safeParse(json);
    if (!parsed.success) {
      const id = json instanceof Object && 'request_id' in json && typeof json.request_id === 'string' ? json.request_id.slice(0, 128) : undefined;
      return this.reply(c, id, { code: 400, message: `invalid request: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim() });
    }
    const req = parsed.data;
    if (req.method === 'auth:login') return this.login(c, req.session_id, req.request_id, req.params);
    if (c.accountId === undefined || c.sessionId === undefined) return this.reply(c, req.request_id, { code: 401, message: 'not logged in' });
    if (req.session_id !== c.sessionId) return this.reply(c, req.request_id, { code: 400, message: 'session_id differs from the one logged in' });
    this.order(c, req.request_id, req.method, req.header ?? {}, req.params);
  }

  private login(c: Connection, sessionId: string, requestId: string, params: string): void {
    const p = LoginParams.safeParse(parseJson(params));
    if (!p.success) return this.reply(c, requestId, { code: 400, message: 'params must be a JSON string of {"token"}' });
    const check = this.deps.ctx.tokens.verify(p.data.token, this.deps.ctx.wallNow());
    const rec = check.ok ? this.deps.ctx.accounts.get(check.claims.sub) : undefined;
    if (!check.ok || !rec) return this.reply(c, requestId, { code: 401, message: check.ok ? 'unknown account' : check.reason });
    c.accountId = rec.accountId;
    c.sessionId = sessionId;
    this.reply(c, requestId, { code: 0, message: 'success' });
  }

  private order(c: Connection, requestId: string, method: 'order:new' | 'order:cancel', header: z.infer<typeof Header>, params: string): void {
    const { ctx } = this.deps;
    const rec = ctx.accounts.get(c.accountId!);
    if (!rec) return this.reply(c, requestId, { code: 401, message: 'unknown account' });
    const sig = verifyBodySignature({
      headers: {
        version: header['x-request-sign-version'],
        requestId: header['x-request-id'],
        timestamp: header['x-request-timestamp'],
        signature: header['x-request-signature'],
      },
      rawBody: params,
      publicKey: rec.publicKey,
      accountId: rec.accountId,
      nowMs: ctx.wallNow(),
      windowMs: this.deps.signatureWindowMs,
      replay: this.deps.replay,
    });
    if (!sig.ok) return this.reply(c, requestId, { code: sig.status, message: sig.message });
    const route = this.deps.routes.get(method === 'order:new' ? '/api/new_order' : '/api/cancel_order');
    const body = parseJson(params);
    if (!route || body === undefined) return this.reply(c, requestId, { code: 400, message: 'params must be a JSON string' });
    try {
      const result = route.handle({ account: rec, query: new URLSearchParams(), body, requestId, sessionId: c.sessionId });
      // The route reports the outcome to this session after matching (ctx.onOrderOutcome); cancel has no matching.
      if (result.after) setImmediate(result.after);
      if (method === 'order:cancel') setImmediate(() => this.reply(c, requestId, { code: 0, message: 'success' }));
    } catch (err) {
      if (err instanceof StandxHttpError) return this.reply(c, requestId, { code: err.status, message: err.message });
      this.reply(c, requestId, { code: 500, message: 'internal error' });
    }
  }

  private reply(c: Connection, requestId: string | undefined, outcome: OrderOutcome): void {
    const text = JSON.stringify({ code: outcome.code, message: outcome.message, ...(requestId !== undefined ? { request_id: requestId } : {}) });
    this.deps.gate.outbound(c, { clientId: c.id, channel: 'order_response', seq: 0, text });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
