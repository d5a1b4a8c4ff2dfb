import { resolve } from 'node:path';
import type { StateStore } from '@perpetua/state';
import { VenueConfig } from '@perpetua/venues/config';
import type { RunningDashboard } from '@perpetua/service-dashboard';
import { PerpetuaConfig, StrategyConfig } from '../perpetua-config.js';
import type { ServiceDeps } from './build-services.js';

export interface DashboardCompose {
  /** The YAML file the Configuration page edits: --config when given, else dashboard.configFile. */
  configFile?: string | undefined;
  store?: StateStore;
  isReady?: () => boolean;
}

/**
 * The dashboard on a bus (in-process inside `perpetua start`, NATS for
 * `perpetua dashboard`), editing the configuration file with the services'
 * own schemas: one venue entry by the venue registry's, one strategy by the
 * strategy's, and the whole file as `loadConfig` would judge it.
 */
export async function startDashboardService(config: PerpetuaConfig, deps: ServiceDeps, o: DashboardCompose = {}): Promise<RunningDashboard> {
  const { startDashboard } = await import('@perpetua/service-dashboard');
  const path = resolve(o.configFile ?? config.dashboard.configFile);
  return startDashboard({
    config: config.dashboard,
    bus: deps.bus,
    logger: deps.logger.child({ component: 'dashboard' }),
    registry: deps.registry,
    ...(o.store ? { store: o.store } : {}),
    ...(o.isReady ? { isReady: o.isReady } : {}),
    configFile: {
      path,
      validate: (doc) => {
        const r = PerpetuaConfig.safeParse(doc);
        return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`);
      },
    },
    venueSchema: VenueConfig,
    strategySchema: StrategyConfig,
  });
}
