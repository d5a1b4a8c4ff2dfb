/**
 * The simulator's admin HTTP API (loopback by default):
 *   GET    /faults        active faults
 *   POST   /faults        inject a FaultSpec (JSON); 201 with the fault, 400 naming the bad field
 *   DELETE /faults/:id    end one fault (204, 404 when unknown)
 *   DELETE /faults        end all ({"removed": n})
 *   GET    /metrics       the sim's Prometheus metrics
 *   GET    /healthz       liveness plus what the sim serves
 *   GET    /dialects      the dialect each venue with open questions plays now
 *   PUT    /dialects/:v   switch venue v's dialect (JSON, validated by its schema; 400 with the reason)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { readBody } from '../facades/http-body.js';
import type { SimWorld } from '../engine/types.js';
import { DialectError, type DialectControl } from '../simulator/dialects.js';
import type { FaultInjector } from './fault-injector.js';
import { FaultError } from './fault-spec.js';

export interface SimAdminOptions {
  injector: FaultInjector;
  world: SimWorld;
  /** Served on /metrics (default the injector's metrics registry). */
  registry?: Registry;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Served on GET /ready: what the simulator serves (its ready line), so services can find the venues. */
  ready?: () => unknown;
  /** Serves /dialects when given. */
  dialects?: DialectControl;
}

export interface SimAdmin {
  /** e.g. http://127.0.0.1:34567 */
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
const FAULT_PATH = /^\/faults\/([A-Za-z0-9_.-]{1,64})$/;
const DIALECT_PATH = /^\/dialects\/([A-Za-z0-9_-]{1,64})$/;

export async function startSimAdmin(opts: SimAdminOptions): Promise<SimAdmin> {
  const { injector, world } = opts;
  const registry = opts.registry ?? injector.metrics.registry;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz' && method === 'GET') {
      return json(res, 200, { status: 'ok', seed: world.seed, venues: world.venues(), attached: injector.attachedVenues(), activeFaults: injector.list().length });
    }
    if (path === '/ready' && method === 'GET') {
      const ready = opts.ready?.();
      return ready === undefined ? json(res, 404, { error: 'no ready descriptor' }) : json(res, 200, ready);
    }
    if (path === '/metrics' && method === 'GET') {
      const text = await registry.metrics();
      res.writeHead(200, { 'Content-Type': registry.contentType });
      res.end(text);
      return;
    }
    if (path === '/faults') {
      if (method === 'GET') return json(res, 200, { faults: injector.list() });
      if (method === 'DELETE') return json(res, 200, { removed: injector.clear() });
      if (method === 'POST') return postFault(req, res);
      return json(res, 405, { error: `method ${method} not allowed on /faults` });
    }
    if (path === '/dialects') {
      if (method !== 'GET') return json(res, 405, { error: `method ${method} not allowed on /dialects` });
      return json(res, 200, { dialects: opts.dialects?.all() ?? {} });
    }
    const d = DIALECT_PATH.exec(path);
    if (d) {
      if (method !== 'PUT') return json(res, 405, { error: `method ${method} not allowed on ${path}` });
      return putDialect(req, res, d[1] ?? '');
    }
    const m = FAULT_PATH.exec(path);
    if (m) {
      if (method !== 'DELETE' && method !== 'GET') return json(res, 405, { error: `method ${method} not allowed on ${path}` });
      const id = m[1] ?? '';
      if (method === 'GET') {
        const f = injector.get(id);
        return f ? json(res, 200, f) : json(res, 404, { error: `no active fault ${id}` });
      }
      if (!injector.remove(id)) return json(res, 404, { error: `no active fault ${id}` });
      res.writeHead(204);
      res.end();
      return;
    }
    json(res, 404, { error: `not found: ${path}` });
  }

  async function putDialect(req: IncomingMessage, res: ServerResponse, venue: string): Promise<void> {
    const text = await readBody(req, MAX_BODY_BYTES);
    if (text === undefined) return json(res, 413, { error: 'request body too large' });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return json(res, 400, { error: `body must be a JSON dialect for ${venue}` });
    }
    if (!opts.dialects) return json(res, 404, { error: 'this simulator has no dialect switch' });
    try {
      json(res, 200, { venue, dialect: opts.dialects.set(venue, body) });
    } catch (err) {
      if (err instanceof DialectError) return json(res, 400, { error: err.message });
      throw err;
    }
  }

  async function postFault(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req, MAX_BODY_BYTES);
    if (text === undefined) return json(res, 413, { error: 'request body too large' });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return json(res, 400, { error: 'body must be a JSON FaultSpec' });
    }
    try {
      json(res, 201, injector.inject(body));
    } catch (err) {
      if (err instanceof FaultError) return json(res, 400, { error: err.message });
      throw err;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: err instanceof Error ? err.message : 'internal error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
