import { SimReady } from '@perpetua/sim/ready';
import type { PerpetuaConfig } from '../perpetua-config.js';
import type { ResolvedVenues } from './build-services.js';
import { ConfigurationError } from './configuration-error.js';
import { bindVenuesToSimulator } from './sim-venues.js';
import { reachableFrom } from './sim-reachable.js';

/** The ready descriptor of a running simulator, from its admin API (GET /ready). */
export async function fetchSimReady(admin: string): Promise<SimReady> {
  let body: unknown;
  try {
    const res = await fetch(new URL('/ready', admin), { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = await res.json();
  } catch (err) {
    throw new ConfigurationError(`sim.admin ${admin}: cannot read the simulator's venues (${err instanceof Error ? err.message : String(err)}); is perpetua sim running there?`);
  }
  const parsed = SimReady.safeParse(body);
  if (!parsed.success) throw new ConfigurationError(`sim.admin ${admin}: /ready is not a simulator descriptor (${parsed.error.issues[0]?.message ?? ''})`);
  return reachableFrom(parsed.data, admin);
}

/** Whether any configured venue is to be served by the simulator (paper venues need none). */
export function needsSimulator(config: PerpetuaConfig): boolean {
  return config.sim.enabled && Object.values(config.venues).some((v) => v.kind !== 'paper');
}

/**
 * The venues the services connect to: the configured ones, or with the
 * simulator on, the same venues pointed at it (an embedded simulator's
 * descriptor, or the one `sim.admin` serves).
 */
export async function resolveVenues(config: PerpetuaConfig, embedded?: SimReady): Promise<ResolvedVenues> {
  if (!needsSimulator(config)) return config.venues;
  if (embedded) return bindVenuesToSimulator(config.venues, embedded);
  if (config.sim.admin) return bindVenuesToSimulator(config.venues, await fetchSimReady(config.sim.admin));
  throw new ConfigurationError(
    'sim.enabled is true but no simulator is reachable: start `perpetua sim` and set PERPETUA_SIM__ADMIN to the admin URL it prints, or set sim.enabled: false to use the real venues',
  );
}
