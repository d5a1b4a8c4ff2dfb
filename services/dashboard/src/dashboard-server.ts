import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { Bus } from '@perpetua/bus';
import type { Registry } from '@perpetua/telemetry';
import { AccessGuard, crossSiteReason, isLoopbackHost, SESSION_COOKIE } from './access-guard.js';
import { AuditTrail } from './audit-trail.js';
import { dashboardBindProblem } from './bind-check.js';
import { ConfigDocument } from './config-document.js';
import { registerConfigRoutes } from './config-routes.js';
import { registerControlRoutes } from './control-routes.js';
import type { DashboardConfig } from './dashboard-config.js';
import { dashboardMetrics } from './dashboard-metrics.js';
import { LiveState, type DashboardStore } from './live-state.js';
import { TOPICS, type Topic } from './live-views.js';
import { LoginLimiter } from './login-limiter.js';
import { DOCS_PAGE, DOCS_SCRIPT, OPENAPI } from './openapi.js';
import { PushHub } from './push-hub.js';
import { LoginBody, issuesText } from './request-bodies.js';
import { buildWebAssets, type WebAsset } from './web-assets.js';

export interface DashboardServerOptions {
  config: DashboardConfig;
  bus: Bus;
  logger: Logger;
  registry: Registry;
  now?: () => number;
  store?: DashboardStore;
  /** The YAML file the Configuration page edits, and how the services would judge it. */
  configFile?: { path: string; validate: (doc: Record<string, unknown>) => string[] };
  venueSchema: ZodType;
  strategySchema: ZodType;
  isReady?: () => boolean;
}

export interface RunningDashboard {
  url: string;
  port: number;
  state: LiveState;
  hub: PushHub;
  /** A request answered in process, as if it came over HTTP (tests: thousands of requests without sockets). */
  inject: FastifyInstance['inject'];
  close(): Promise<void>;
}

/** Refused before any handler: the host must be a non-loopback bind's token holder. */
export class DashboardBindError extends Error {
  override name = 'DashboardBindError';
}

const BODY_LIMIT = 16 * 1024;
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The dashboard: the built front end, a JSON API and one WebSocket, fed
 * read-only from the bus and the store. It keeps nothing that is not on the
 * bus or in the store (the latest values, bounded histories), so any number
 * of replicas can run behind a load balancer.
 */
export async function startDashboard(o: DashboardServerOptions): Promise<RunningDashboard> {
  const { config, logger } = o;
  const bindProblem = dashboardBindProblem(config);
  if (bindProblem !== undefined) throw new DashboardBindError(bindProblem);
  const now = o.now ?? Date.now;
  const metrics = dashboardMetrics(o.registry);
  const guard = new AccessGuard(config.token);
  const limiter = new LoginLimiter();
  const state = new LiveState({ bus: o.bus, now, historySize: config.historySize, ...(o.store ? { store: o.store } : {}) });
  await state.start();
  const audit = new AuditTrail((e) => state.recordAudit(e), logger, now);
  const document = o.configFile ? new ConfigDocument({ file: o.configFile.path, validate: o.configFile.validate }) : undefined;
  const assets = await buildWebAssets();

  const hub = new PushHub({
    read: (topic: Topic) => ({ version: state.version(topic), value: () => state.view(topic) }),
    maxBufferedBytes: config.maxBufferedBytes,
    dropped: metrics.dropped,
    sent: metrics.sent,
    clients: metrics.clients,
  });

  const app: FastifyInstance = Fastify({ bodyLimit: BODY_LIMIT, logger: false, trustProxy: false });
  await app.register(websocket, { options: { maxPayload: 4096 } });

  const who = (req: { ip: string }) => `${guard.required ? 'token' : 'local'}@${req.ip}`;
  const loopbackOnly = isLoopbackHost(config.host) && !guard.required;

  app.addHook('onRequest', async (req, reply) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    const path = req.url.split('?', 1)[0] ?? '/';
    // A loopback dashboard without a token answers only to loopback names (no DNS rebinding from a web page).
    const hostName = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (loopbackOnly && !isLoopbackHost(hostName)) {
      metrics.refused.inc({ reason: 'host' });
      return reply.code(403).send({ error: `host ${hostName} is not this dashboard's (loopback only)` });
    }
    const mutating = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
    if (mutating || path === '/ws') {
      const why = crossSiteReason(req.headers as Record<string, string | undefined>);
      if (why) {
        metrics.refused.inc({ reason: 'cross_site' });
        return reply.code(403).send({ error: why });
      }
    }
    const needsAuth = (path.startsWith('/api/') && path !== '/api/login') || path === '/ws';
    if (needsAuth && !guard.allows(req.headers)) {
      metrics.refused.inc({ reason: 'unauthorized' });
      return reply.code(401).send({ error: 'a token is required: Authorization: Bearer <dashboard.token>, or log in' });
    }
    if (path.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return undefined;
  });

  app.setErrorHandler((err: { statusCode?: number; message: string; code?: string }, _req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) logger.error({ err }, 'dashboard request failed');
    const message = status === 413 ? `request body too large (at most ${BODY_LIMIT} bytes)` : status >= 500 ? 'internal error' : err.message;
    return reply.code(status).send({ error: message });
  });
  app.setNotFoundHandler((req, reply) => {
    // Client-side routes (#/...) all load the page; anything else is unknown.
    if (req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/assets/')) return sendAsset(reply, assets.get('/'));
    return reply.code(404).send({ error: 'not found' });
  });

  const sendAsset = (reply: import('fastify').FastifyReply, asset: WebAsset | undefined) => {
    if (!asset) return reply.code(404).send({ error: 'not found' });
    return reply.header('content-type', asset.contentType).header('etag', asset.etag).header('cache-control', 'no-cache').send(asset.body);
  };
  app.get('/', (_req, reply) => sendAsset(reply, assets.get('/')));
  app.get<{ Params: { file: string } }>('/assets/:file', (req, reply) => sendAsset(reply, assets.get(`/assets/${req.params.file}`)));

  app.get('/docs', (_req, reply) => reply.header('content-type', 'text/html; charset=utf-8').send(DOCS_PAGE));
  app.get('/docs/docs.js', (_req, reply) => reply.header('content-type', 'text/javascript; charset=utf-8').send(DOCS_SCRIPT));
  app.get('/docs/openapi.json', () => OPENAPI);

  app.get('/healthz', (_req, reply) => reply.type('text/plain').send('ok\n'));
  app.get('/readyz', (_req, reply) => ((o.isReady?.() ?? true) ? reply.type('text/plain').send('ready\n') : reply.code(503).type('text/plain').send('not ready\n')));
  app.get('/metrics', async (_req, reply) => reply.type(o.registry.contentType).send(await o.registry.metrics()));

  app.get('/api/session', () => ({ ok: true, tokenRequired: guard.required }));
  app.post('/api/login', async (req, reply) => {
    const client = req.ip;
    if (limiter.blocked(client, now())) {
      metrics.refused.inc({ reason: 'login_rate' });
      return reply.code(429).header('retry-after', '60').send({ error: 'too many failed logins; wait a minute' });
    }
    const body = LoginBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: issuesText(body.error)[0] });
    if (!guard.checkToken(body.data.token)) {
      limiter.fail(client, now());
      metrics.refused.inc({ reason: 'login_failed' });
      return reply.code(401).send({ error: 'wrong token' });
    }
    return reply.code(204).header('set-cookie', guard.sessionCookie(req.protocol === 'https')).send();
  });
  app.post('/api/logout', (_req, reply) => reply.code(204).header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`).send());
  app.get('/api/snapshot', () => Object.fromEntries(TOPICS.map((t) => [t, state.view(t)])));

  if (document) registerConfigRoutes(app, { document, venueSchema: o.venueSchema, strategySchema: o.strategySchema, audit, who });
  else app.get('/api/config', () => ({ file: null, venues: {}, strategies: [], fields: { venues: {}, strategy: [] } }));
  registerControlRoutes(app, { bus: o.bus, audit, metrics, who, ...(document ? { document } : {}) });

  app.get('/ws', { websocket: true }, (socket, _req: FastifyRequest) => {
    socket.send(JSON.stringify({ type: 'hello', pushIntervalMs: config.pushIntervalMs }));
    const remove = hub.add(socket);
    // The socket is for pushing; anything the browser sends is ignored (and capped by maxPayload).
    socket.on('message', () => undefined);
    socket.on('close', remove);
    socket.on('error', remove);
  });

  const timer = setInterval(() => void hub.tick(), config.pushIntervalMs);
  timer.unref();

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, token: guard.required }, 'dashboard listening');

  return {
    url,
    port,
    state,
    hub,
    inject: app.inject.bind(app) as FastifyInstance['inject'],
    async close() {
      clearInterval(timer);
      state.stop();
      for (const client of app.websocketServer.clients) client.terminate();
      await app.close();
    },
  };
}
