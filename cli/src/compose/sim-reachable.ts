import type { SimReady } from '@perpetua/sim/ready';

const WILDCARD = new Set(['0.0.0.0', '[::]', '::']);

/**
 * A simulator bound to every interface (`perpetua sim --host 0.0.0.0`, as in a
 * container) announces URLs on 0.0.0.0, which name no host to connect to. Those
 * are rewritten to the host the admin API was reached at (`sim.admin`, e.g.
 * http://sim:9700), keeping each façade's port; other URLs are left alone.
 */
export function reachableFrom(ready: SimReady, admin: string): SimReady {
  const host = new URL(admin).hostname;
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!/^(https?|wss?):\/\//.test(value)) return value;
      const url = new URL(value);
      if (!WILDCARD.has(url.hostname)) return value;
      url.hostname = host;
      // new URL adds a '/' to a bare origin; keep the text as announced otherwise.
      return value.endsWith('/') || url.pathname !== '/' ? url.toString() : url.toString().replace(/\/$/, '');
    }
    if (Array.isArray(value)) return value.map(rewrite);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    return value;
  };
  return rewrite(ready) as SimReady;
}
