import type { NatsBusOptions } from '@perpetua/bus';
import type { PerpetuaConfig } from '../perpetua-config.js';

/**
 * What every perpetua process connects to NATS with, from one config: the deployment's names and the
 * streams' limits must agree across processes (each applies the limits on connect), so no command spells
 * them out on its own. `url` must be set (each command says so in its own words first).
 */
export function natsBusOptions(config: PerpetuaConfig, name: string, extra: Omit<Partial<NatsBusOptions>, 'url' | 'name'> = {}): NatsBusOptions {
  const { url, deployment, replicas, fillsMaxMessages, orderEventsMaxAgeHours } = config.nats;
  if (!url) throw new Error('natsBusOptions: config.nats.url is not set');
  return {
    url,
    name,
    ...(deployment !== undefined ? { deployment } : {}),
    ...(replicas !== undefined ? { replicas } : {}),
    ...(fillsMaxMessages !== undefined ? { fillsMaxMessages } : {}),
    ...(orderEventsMaxAgeHours !== undefined ? { orderEventsMaxAgeMs: orderEventsMaxAgeHours * 60 * 60 * 1000 } : {}),
    ...extra,
  };
}
