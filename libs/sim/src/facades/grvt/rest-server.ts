/**
 * HTTP transport of one GRVT host: reads the body, passes the wire tap, routes `POST /full/v1/<method>` (and the
 * edge host's `POST /auth/api_key/login`), checks the session for private routes and answers in GRVT's shape
 * (`{code, message, status}` on errors). Nothing a client sends can throw out of here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GrvtApiError, restErrorBody } from './errors.js';
import type { GrvtRouteTable } from './rest-routes.js';
import type { GrvtSession, GrvtSessions } from './sessions.js';
import type { GrvtHost, GrvtRestReply, GrvtWireTap } from './wire-tap.js';

const MAX_BODY_BYTES = 64 * 1024;
const FULL_PREFIX = '/full/v1/';

/** A handler answering a path outside the `full/v1` table (the edge host's login). */
export type ExtraRoute = (body: unknown) => GrvtRestReply;

export interface RestServerOptions {
  host: GrvtHost;
  tap: GrvtWireTap;
  routes: GrvtRouteTable;
  sessions: GrvtSessions;
  extra?: ReadonlyMap<string, ExtraRoute>;
}

export function createGrvtRestListener(o: RestServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (tooLarge) {
        sendError(res, new GrvtApiError('MALFORMED', 'request body too large'));
        return;
      }
      handle(o, req, res, Buffer.concat(chunks).toString('utf8')).catch(() => {
        sendError(res, new GrvtApiError('INTERNAL'));
      });
    });
  };
}

async function handle(o: RestServerOptions, req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> {
  // The raw target's path: `new URL` throws on targets Node accepts (e.g. //[), which would turn bad input into a 500.
  const path = (req.url ?? '/').split('?')[0]!;
  const method = req.method ?? 'GET';
  const intercepted = await o.tap.inbound({ host: o.host, method, path, headers: req.headers, rawBody });
  if (intercepted) {
    send(res, intercepted.status, intercepted.body, intercepted.headers);
    return;
  }
  try {
    const extra = o.extra?.get(path);
    const route = path.startsWith(FULL_PREFIX) ? o.routes.get(path.slice(FULL_PREFIX.length)) : undefined;
    if (!extra && !route) throw new GrvtApiError('NOT_FOUND', `no endpoint ${path}`);
    if (method !== 'POST') throw new GrvtApiError('MALFORMED', `${path} takes POST, not ${method}`);
    const body = parseBody(rawBody);
    if (extra) {
      const reply = extra(body);
      send(res, reply.status, reply.body, reply.headers);
      return;
    }
    if (!route) return;
    let session: GrvtSession | undefined;
    if (route.auth) session = o.sessions.authenticate(req.headers);
    send(res, 200, await route.run(body, session));
  } catch (err) {
    sendError(res, err instanceof GrvtApiError ? err : new GrvtApiError('INTERNAL'));
  }
}

/** An empty body counts as `{}` (GRVT's parameterless calls); anything else must be JSON. */
function parseBody(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new GrvtApiError('MALFORMED', 'invalid JSON body');
  }
}

function sendError(res: ServerResponse, err: GrvtApiError): void {
  send(res, err.status, restErrorBody(err));
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
