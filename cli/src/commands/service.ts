import { natsBusOptions } from '../compose/nats-bus-options.js';
import { NatsBus, fencedBus, leaseKeys } from '@perpetua/bus';
import { WallClock } from '@perpetua/core';
import { RedisStateStore, type StateStore } from '@perpetua/state';
import { createLogger, createMetrics, startServiceHttp } from '@perpetua/telemetry';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { accountFor, createTradingAdapter, startOrderRouter, startQuoter, startRisk, type DeferredService, type RunningService } from '../compose/build-services.js';
import { ConfigurationError } from '../compose/configuration-error.js';
import { resolveVenues } from '../compose/resolve-venues.js';
import { startArbDetector } from '../compose/start-arb-detector.js';
import type { ServiceName } from '../compose/service-names.js';
import { startDashboardService } from '../compose/start-dashboard.js';
import { startStandby } from '../compose/standby-service.js';
import { startSharedGateway } from '../compose/shared-gateway.js';
import { fencedTradingAdapter } from '../compose/fenced-trading-adapter.js';
import { startWarmTradingAdapter, type WarmTradingAdapter } from '../compose/warm-trading-adapter.js';

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
  const bus = await NatsBus.connect(
    natsBusOptions(config, `perpetua-${name}`, {
      // Started while nats-server is down (both restarted after a crash): wait for it, do not exit.
      waitForServer: true,
      onInvalid: (i) => logger.warn({ subject: i.subject, error: i.error }, 'invalid message dropped'),
      onHandlerError: (subject, err) => logger.error({ subject, err }, 'handler failed'),
    }),
  );
  const deps = { bus, logger, registry };
  const clock = new WallClock();
  let store: StateStore | undefined;
  // Redis restarting: ioredis retries on its own; say so once per kind of error, not once per retry.
  const redisErrorsSeen = new Set<string>();
  const redisDown = (err: Error) => {
    if (redisErrorsSeen.has(err.message) || redisErrorsSeen.size > 50) return;
    redisErrorsSeen.add(err.message);
    logger.warn({ err: err.message }, 'redis connection error; reconnecting');
  };
  const needsStore = name === 'risk' || name === 'order-router';
  // The dashboard reads positions and the halt flag from Redis when it is configured.
  if (name === 'dashboard' && config.redis.url) store = new RedisStateStore(config.redis.url, { prefix: config.redis.keyPrefix, password: config.redis.password, onConnectionError: redisDown });
  if (needsStore) {
    if (!config.redis.url) throw new ConfigurationError(`perpetua service ${name} needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379)`);
    store = new RedisStateStore(config.redis.url, { prefix: config.redis.keyPrefix, password: config.redis.password, onConnectionError: redisDown });
  }
  // The quoter reads its strategies' booked positions at start (a restarted quoter picks them up) when Redis is there.
  if (name === 'quoter' && config.redis.url) store = new RedisStateStore(config.redis.url, { prefix: config.redis.keyPrefix, password: config.redis.password, onConnectionError: redisDown });
  let running: RunningService;
  switch (name) {
    case 'gateway':
      // Several gateways of one venue share its symbols by leases (perpetua stack --scale gateway.<venue>=N).
      running = await startSharedGateway(config, await resolveVenues(config), venue, { ...deps, clock });
      break;
    case 'quoter':
      running = startQuoter(config, { ...deps, store });
      break;
    case 'risk': {
      // One active risk, the others hot standbys: its store writes and its commands carry the lease's fencing token.
      const riskStore = store!;
      running = await startStandby('risk', leaseKeys.risk(), { ...deps, clock }, (term) =>
        startRisk(config, {
          ...deps,
          bus: fencedBus(bus, term.token, (subject) => logger.warn({ subject }, 'not the leader: publish dropped')),
          store: riskStore.fenced({ scope: 'risk', token: term.token }),
        }),
      );
      break;
    }
    case 'arb-detector':
      // It needs the venues' names and fees, not their URLs; Redis (optional) keeps its events for dashboards.
      running = await startArbDetector(config, config.venues, { ...deps, redisUrl: config.redis.url });
      break;
    case 'order-router': {
      // One active router per venue account: it reconciles on taking over, and checks its lease before every venue call.
      // Live, the standby keeps its venue connection started ahead, so a takeover only reconciles.
      const resolved = await resolveVenues(config);
      const account = accountFor(config, venue);
      const routerStore = store!;
      const live = config.trading.mode === 'live';
      const warmUp = async (): Promise<WarmTradingAdapter | undefined> => (live ? startWarmTradingAdapter(await createTradingAdapter(config, resolved, venue, deps), { now: () => clock.now(), refreshEveryMs: 2_000, symbols: () => resolved[venue]?.symbols ?? [] }) : undefined);
      let warm: Promise<WarmTradingAdapter | undefined>;
      const rewarm = () => {
        warm = warmUp();
        warm.catch((err: unknown) => logger.warn({ err }, 'standby could not connect to the venue ahead; it tries again on taking over'));
      };
      rewarm();
      running = await startStandby(`order-router:${venue}`, leaseKeys.router(venue, account), { ...deps, clock }, async (term) => {
        const adapter = await warm.catch((err: unknown) => {
          rewarm();
          throw err;
        });
        const router = startOrderRouter(config, resolved, venue, {
          ...deps,
          store: routerStore.fenced({ scope: `router:${venue}:${account}`, token: term.token }),
          cancelOnStop: true,
          ...(adapter ? { adapter, symbolsSeen: () => adapter.symbolsSeen() } : {}),
          wrapAdapter: (a) => fencedTradingAdapter(a, term.token, (call) => logger.warn({ call }, 'not the leader: venue call refused')),
        });
        try {
          await router.started;
        } catch (err) {
          adapter?.detach(); // kept warm for the next term
          // A configuration the router cannot start with stays wrong however often it takes over: exit like a bad config.
          if (err instanceof ConfigurationError) exitBadConfig(name, err, logger);
          throw err;
        }
        return {
          ...router,
          stop: async () => {
            await router.stop(); // closes the adapter: the next term gets a new one
            if (live) rewarm();
          },
        };
      });
      break;
    }
    case 'dashboard': {
      const dashboard = await startDashboardService(config, deps, { configFile: options.configFile, ...(store ? { store } : {}) });
      process.stdout.write(`${JSON.stringify({ event: 'dashboard', url: dashboard.url })}\n`);
      running = { name: 'dashboard', isReady: () => true, stop: () => dashboard.close() };
      break;
    }
  }
  // A service waiting for its venue's instruments fails later, if it fails: say why and exit like a bad config.
  if ('started' in running) (running as DeferredService<unknown>).started.catch((err: unknown) => exitBadConfig(name, err, logger));
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

function exitBadConfig(name: string, err: unknown, logger: { fatal: (o: object, msg: string) => void }): never {
  logger.fatal({ service: name, err: err instanceof Error ? err.message : String(err) }, 'service could not start');
  process.stderr.write(`perpetua: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
