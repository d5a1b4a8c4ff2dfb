/**
 * HTTP transport of the StandX façade: reads the raw body, passes the traffic gate,
 * checks the JWT and (on every POST) the body signature, parses JSON, runs the route
 * and answers in StandX's shape. Nothing a client sends can throw out of here.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReplayGuard, verifyBodySignature } from './body-signature.js';
import { StandxHttpError, type StandxErrorBody } from './errors.js';
import type { FacadeContext } from './facade-context.js';
import type { Route } from './rest-api.js';
import { parseRequestTarget } from './request-target.js';
import type { RestReply, TrafficGate } from './traffic-gate.js';
import type { StandxVenueLimits } from './venue-limits.js';

const MAX_BODY_BYTES = 64 * 1024;

export interface RestServerDeps {
  ctx: FacadeContext;
  routes: Map<string, Route>;
  gate: TrafficGate;
  /** Allowed |now - x-request-timestamp|. */
  signatureWindowMs: number;
  replay: ReplayGuard;
  /** StandX's per-account credit budget and per-IP request rate. */
  limits: StandxVenueLimits;
}

export function createRestListener(deps: RestServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (tooLarge) {
        send(res, 413, { code: 413, message: 'request body too large' });
        return;
      }
      handle(deps, req, res, Buffer.concat(chunks).toString('utf8')).catch(() => {
        if (!res.headersSent) send(res, 500, { code: 500, message: 'internal error' });
      });
    });
  };
}

async function handle(deps: RestServerDeps, req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> {
  const { ctx, routes, gate } = deps;
  const method = req.method ?? 'GET';
  const requestId = header(req, 'x-request-id');
  const url = parseRequestTarget(req.url);
  if (!url) {
    send(res, 400, new StandxHttpError(400, 'invalid request target').body(requestId));
    return;
  }

  const intercepted: RestReply | undefined = await gate.inbound({
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
  });
  if (intercepted) {
    send(res, intercepted.status, intercepted.body, intercepted.headers);
    return;
  }

  try {
    const route = routes.get(url.pathname);
    if (!route) throw new StandxHttpError(404, `not found: ${url.pathname}`);
    if (route.method !== method) throw new StandxHttpError(405, `method ${method} not allowed on ${url.pathname}`);

    let account;
    if (route.auth) {
      const authz = header(req, 'authorization');
      const m = authz === undefined ? null : /^Bearer\s+(\S+)$/i.exec(authz);
      if (!m) throw new StandxHttpError(401, 'missing bearer token');
      const check = ctx.tokens.verify(m[1]!, ctx.wallNow());
      if (!check.ok) throw new StandxHttpError(401, check.reason);
      account = ctx.accounts.get(check.claims.sub);
      if (!account) throw new StandxHttpError(401, 'unknown account');
    }

    const limited = deps.limits.restRequest(req.socket.remoteAddress ?? 'unknown', account?.accountId);
    if (limited !== undefined) throw new StandxHttpError(429, limited);

    let body: unknown;
    if (method === 'POST') {
      if (!account) throw new StandxHttpError(401, 'authentication required');
      const sig = verifyBodySignature({
        headers: {
          version: header(req, 'x-request-sign-version'),
          requestId,
          timestamp: header(req, 'x-request-timestamp'),
          signature: header(req, 'x-request-signature'),
        },
        rawBody,
        publicKey: account.publicKey,
        accountId: account.accountId,
        nowMs: ctx.wallNow(),
        windowMs: deps.signatureWindowMs,
        replay: deps.replay,
      });
      if (!sig.ok) throw new StandxHttpError(sig.status, sig.message);
      if (rawBody.trim() === '') throw new StandxHttpError(400, 'empty request body');
      try {
        body = JSON.parse(rawBody);
      } catch {
        throw new StandxHttpError(400, 'malformed JSON body');
      }
    }

    const result = route.handle({ account, query: url.searchParams, body, requestId: requestId ?? randomUUID(), sessionId: header(req, 'x-session-id') });
    send(res, result.status ?? 200, result.body);
    if (result.after) {
      const after = result.after;
      setImmediate(() => {
        try {
          after();
        } catch {
          // A failure after the ack has nowhere to go but the streams; never take the server down.
        }
      });
    }
  } catch (err) {
    if (err instanceof StandxHttpError) send(res, err.status, err.body(requestId));
    else send(res, 500, { code: 500, message: 'internal error', ...(requestId ? { request_id: requestId } : {}) } satisfies StandxErrorBody);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
