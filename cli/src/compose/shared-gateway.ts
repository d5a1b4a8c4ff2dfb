import { LEASE_BUCKET, LEASE_TIMING, SharedLeases, leaseKeys } from '@perpetua/bus';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { startGateway, type ResolvedVenues, type RunningService } from './build-services.js';
import { leaseHolder, type StandbyDeps } from './standby-service.js';
import { ConfigurationError } from './configuration-error.js';

/**
 * A venue's gateway among N (`perpetua service gateway` on NATS): each keeps
 * every symbol's book, and publishes the symbols whose lease it holds; the
 * live gateways share the symbols evenly (planShare), and a dead one's move to
 * the others when its leases lapse.
 */
export async function startSharedGateway(config: PerpetuaConfig, venues: ResolvedVenues, venue: string, deps: StandbyDeps): Promise<RunningService> {
  const symbols = venues[venue]?.symbols;
  if (!symbols) throw new ConfigurationError(`venue "${venue}" is not configured`);
  const store = await deps.bus.leaseStore(LEASE_BUCKET, LEASE_TIMING.ttlMs);
  let onChange: (held: ReadonlySet<string>) => void = () => {};
  const shared = new SharedLeases({
    ...LEASE_TIMING,
    store,
    items: symbols,
    itemKey: (symbol) => leaseKeys.gatewaySymbol(venue, symbol),
    membersUnder: leaseKeys.gatewayMembers(venue),
    member: leaseHolder(),
    now: () => deps.clock.now(),
    onChange: (held) => {
      deps.logger.info({ venue, held: [...held] }, 'symbols held');
      onChange(held);
    },
    onError: (err) => deps.logger.warn({ err, venue }, 'symbol lease round failed'),
  });
  const gateway = await startGateway(config, venues, venue, { ...deps, owns: (symbol) => shared.holds(symbol) });
  onChange = (held) => gateway.service.shareChanged(held);
  // Only a gateway that got as far as its venue takes symbols.
  shared.start();
  return {
    name: gateway.name,
    isReady: () => gateway.isReady(),
    stop: async () => {
      await shared.stop(); // the others take its symbols at once
      await gateway.stop();
    },
  };
}
