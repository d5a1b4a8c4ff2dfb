import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';

/** A readiness answer: a boolean, or a verdict with the reason it is not ready. */
export type Readiness = boolean | { ready: boolean; reason?: string };

export interface ServiceHttpOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1; a container sets 0.0.0.0 so Prometheus can reach it. */
  host?: string;
  registry: Registry;
  isReady: () => Readiness | Promise<Readiness>;
  logger: Logger;
  /** A readiness check slower than this counts as not ready; default 2000 ms. */
  readinessTimeoutMs?: number;
}

export interface ServiceHttp {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TEXT = 'text/plain; charset=utf-8';

/**
 * The endpoints every service exposes:
 *  GET /metrics  Prometheus text exposition of `registry`
 *  GET /healthz  200 "ok" while the process runs (liveness)
 *  GET /readyz   200 "ready" when isReady() says so, else 503 with the reason
 * Anything else is 404 (405 for another method on a known path).
 */
export async function startServiceHttp(opts: ServiceHttpOptions): Promise<ServiceHttp> {
  const host = opts.host ?? '127.0.0.1';
  const timeoutMs = opts.readinessTimeoutMs ?? 2000;
  const log = opts.logger;

  const routes: Record<string, (res: ServerResponse) => Promise<void> | void> = {
    '/metrics': async (res) => {
      try {
        const body = await opts.registry.metrics();
        send(res, 200, body, opts.registry.contentType);
      } catch (err) {
        log.error({ err }, 'collecting metrics failed');
        send(res, 500, 'collecting metrics failed\n');
      }
    },
    '/healthz': (res) => send(res, 200, 'ok\n'),
    '/readyz': async (res) => {
      const verdict = await checkReadiness(opts.isReady, timeoutMs, log);
      if (verdict.ready) send(res, 200, 'ready\n');
      else send(res, 503, verdict.reason === undefined ? 'not ready\n' : `not ready: ${verdict.reason}\n`);
    },
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'service http handler failed');
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const route = routes[path];
    if (route === undefined) return send(res, 404, 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'method not allowed\n');
    }
    await route(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err }, 'service http server error'));

  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ url }, 'service http listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive connections (Prometheus keeps one open) would hold close() forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function checkReadiness(
  isReady: ServiceHttpOptions['isReady'],
  timeoutMs: number,
  log: Logger,
): Promise<{ ready: boolean; reason?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([Promise.resolve().then(isReady), timeout]);
    if (answer === 'timeout') return { ready: false, reason: `readiness check took longer than ${timeoutMs} ms` };
    if (typeof answer === 'boolean') return { ready: answer };
    return answer.reason === undefined ? { ready: answer.ready } : { ready: answer.ready, reason: oneLine(answer.reason) };
  } catch (err) {
    // The error text stays in the log (where secrets are masked), not in the response.
    log.warn({ err }, 'readiness check failed');
    return { ready: false, reason: 'readiness check failed' };
  } finally {
    clearTimeout(timer);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function send(res: ServerResponse, status: number, body: string, contentType = TEXT): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}
