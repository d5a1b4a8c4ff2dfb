import type { Bus } from '../bus.js';

/**
 * The bus as a leader's service sees it: publishes go out only while the
 * leader's term has a token, so a stale leader that wakes up sends nothing
 * (its commands would reach the routers next to the new leader's).
 * Everything else is the bus itself.
 */
export function fencedBus(bus: Bus, token: () => number | undefined, onRefused?: (subject: string) => void): Bus {
  return new Proxy(bus, {
    get(target, prop, receiver) {
      if (prop === 'publish')
        return ((subject, message) => {
          if (token() === undefined) onRefused?.(subject);
          else target.publish(subject, message);
        }) satisfies Bus['publish'];
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
