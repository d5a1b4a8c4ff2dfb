import { natsBusOptions } from '../compose/nats-bus-options.js';
import { NatsBus } from '@perpetua/bus';
import { RedisStateStore, type StateStore } from '@perpetua/state';
import { createLogger, createMetrics } from '@perpetua/telemetry';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { ConfigurationError } from '../compose/configuration-error.js';
import { startDashboardService } from '../compose/start-dashboard.js';
import { runTerminalDashboard } from '../tui/terminal-dashboard.js';

export interface DashboardOptions {
  config: PerpetuaConfig;
  tui: boolean;
  configFile?: string | undefined;
  durationSec?: number | undefined;
}

/**
 * `perpetua dashboard`: the web dashboard against the running services (NATS,
 * and Redis for positions booked before it started); `--tui` draws the
 * terminal dashboard from the same bus instead.
 */
export async function runDashboard(o: DashboardOptions): Promise<void> {
  const { config } = o;
  if (!config.nats.url) throw new ConfigurationError('perpetua dashboard reads the running services over NATS: set NATS_URL (e.g. nats://127.0.0.1:4222)');
  const logger = createLogger({ service: 'dashboard', level: o.tui ? 'warn' : config.telemetry.logLevel, destination: process.stderr });
  const registry = createMetrics({ service: 'dashboard' });
  // The deployment's names too: a dashboard of deployment "prod" reads prod's subjects, not the plain ones.
  const bus = await NatsBus.connect(
    natsBusOptions(config, 'perpetua-dashboard', {
      onInvalid: (i) => logger.warn({ subject: i.subject, error: i.error }, 'invalid message dropped'),
      onHandlerError: (subject, err) => logger.error({ subject, err }, 'handler failed'),
    }),
  );
  const store: StateStore | undefined = config.redis.url ? new RedisStateStore(config.redis.url, { prefix: config.redis.keyPrefix, password: config.redis.password }) : undefined;
  const stopped = new Promise<void>((resolve) => {
    if (o.durationSec !== undefined) setTimeout(resolve, o.durationSec * 1000);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  try {
    if (o.tui) {
      await runTerminalDashboard({ bus, ...(store ? { store } : {}), out: process.stdout, until: stopped });
      return;
    }
    const dashboard = await startDashboardService(config, { bus, logger, registry }, { configFile: o.configFile, ...(store ? { store } : {}) });
    process.stdout.write(`${JSON.stringify({ event: 'ready', service: 'dashboard', http: dashboard.url, url: dashboard.url, pid: process.pid })}\n`);
    await stopped;
    await dashboard.close();
  } finally {
    await bus.close();
    await store?.close();
  }
}
