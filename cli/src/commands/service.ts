import { NatsBus } from '@perpetua/bus';
import { RedisStateStore, type StateStore } from '@perpetua/state';
import { createLogger, createMetrics, startServiceHttp } from '@perpetua/telemetry';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { startGateway, startOrderRouter, startQuoter, startRisk, type DeferredService, type RunningService } from '../compose/build-services.js';
import { ConfigurationError } from '../compose/configuration-error.js';
import { resolveVenues } from '../compose/resolve-venues.js';
import { startArbDetector } from '../compose/start-arb-detector.js';
import type { ServiceName } from '../compose/service-names.js';
import { startDashboardService } from '../compose/start-dashboard.js';

export interface ServiceOptions {
  config: PerpetuaConfig;
  name: ServiceName;
  venue?: string;
  /** The --config file, which the dashboard's Configuration page edits. */
  configFile?: string | undefined;
}

/**
 * `perpetua service <name>`: one service in its own process on NATS (and Redis
 * for the ones that keep state). Prints one JSON line on stdout when ready:
 * {"event":"ready","service":...,"http":URL}; logs go to stderr.
 */
export async function runService(options: ServiceOptions): Promise<void> {
  const { config, name } = options;
  const natsUrl = config.nats.url;
  if (!natsUrl) throw new ConfigurationError('perpetua service needs NATS: set NATS_URL (e.g. nats://127.0.0.1:4222)');
  const venue = options.venue ?? config.strategy.venue;
  const logger = createLogger({ service: name, level: config.telemetry.logLevel, destination: process.stderr });
  const registry = createMetrics({ service: name });
  const bus = await NatsBus.connect({
    url: natsUrl,
    name: `perpetua-${name}`,
    deployment: config.nats.deployment,
    replicas: config.nats.replicas,
    onInvalid: (i) => logger.warn({ subject: i.subject, error: i.error }, 'invalid message dropped'),
    onHandlerError: (subject, err) => logger.error({ subject, err }, 'handler failed'),
  });
  const deps = { bus, logger, registry };
  let store: StateStore | undefined;
  const needsStore = name === 'risk' || name === 'order-router';
  // The dashboard reads positions and the halt flag from Redis when it is configured.
  if (name === 'dashboard' && config.redis.url) store = new RedisStateStore(config.redis.url, { prefix: config.redis.keyPrefix, password: config.redis.password });
  if (needsStore) {
    if (!config.redis.url) throw new ConfigurationError(`perpetua service ${name} needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379)`);
    store = new RedisStateStore(config.redis.url, { prefix: config.redis.keyPrefix, password: config.redis.password });
  }
  // The quoter reads its strategies' booked positions at start (a restarted quoter picks them up) when Redis is there.
  if (name === 'quoter' && config.redis.url) store = new RedisStateStore(config.redis.url, { prefix: config.redis.keyPrefix, password: config.redis.password });
  let running: RunningService;
  switch (name) {
    case 'gateway':
      running = await startGateway(config, await resolveVenues(config), venue, deps);
      break;
    case 'quoter':
      running = startQuoter(config, { ...deps, store });
      break;
    case 'risk':
      running = await startRisk(config, { ...deps, store: store! });
      break;
    case 'arb-detector':
      // It needs the venues' names and fees, not their URLs; Redis (optional) keeps its events for dashboards.
      running = await startArbDetector(config, config.venues, { ...deps, redisUrl: config.redis.url });
      break;
    case 'order-router':
      running = startOrderRouter(config, await resolveVenues(config), venue, { ...deps, store: store!, cancelOnStop: true });
      break;
    case 'dashboard': {
      const dashboard = await startDashboardService(config, deps, { configFile: options.configFile, ...(store ? { store } : {}) });
      process.stdout.write(`${JSON.stringify({ event: 'dashboard', url: dashboard.url })}\n`);
      running = { name: 'dashboard', isReady: () => true, stop: () => dashboard.close() };
      break;
    }
  }
  // A service waiting for its venue's instruments fails later, if it fails: say why and exit like a bad config.
  if ('started' in running)
    (running as DeferredService<unknown>).started.catch((err: unknown) => {
      logger.fatal({ service: name, err: err instanceof Error ? err.message : String(err) }, 'service could not start');
      process.stderr.write(`perpetua: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    });
  const http = await startServiceHttp({ port: config.telemetry.httpPort, host: config.telemetry.httpHost, registry, isReady: () => running.isReady(), logger });
  process.stdout.write(`${JSON.stringify({ event: 'ready', service: name, venue, http: http.url, pid: process.pid })}\n`);
  logger.info({ service: running.name, http: http.url }, 'service ready');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info({ service: running.name }, 'stopping');
  await running.stop();
  await http.close();
  await bus.close();
  await store?.close();
}
