import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Bus, Subscription } from '@perpetua/bus';
import type { StateStore } from '@perpetua/state';
import { GatewayService } from '@perpetua/service-gateway';
import { QuoterService } from '@perpetua/service-quoter';
import { RiskService } from '@perpetua/service-risk';
import { OrderRouterService } from '@perpetua/service-order-router';
import type { PerpetuaConfig, VenueConfig } from '../perpetua-config.js';
import { paperInstruments, paperMarketFeed, paperTradingVenue } from './paper-venue.js';

export interface ServiceDeps {
  bus: Bus;
  logger: Logger;
  registry: Registry;
}

/** A started service, as the runner sees it. */
export interface RunningService {
  name: string;
  isReady(): boolean;
  stop(): Promise<void>;
}

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

function venueConfig(config: PerpetuaConfig, venue: string): VenueConfig {
  const v = config.venues[venue];
  if (!v) throw new ConfigurationError(`venue "${venue}" is not configured (configured: ${Object.keys(config.venues).join(', ') || 'none'})`);
  return v;
}

export async function startGateway(config: PerpetuaConfig, venue: string, deps: ServiceDeps): Promise<RunningService & { service: GatewayService }> {
  const v = venueConfig(config, venue);
  const service = new GatewayService(paperMarketFeed(venue, v), { symbols: v.symbols, ...config.gateway }, deps);
  await service.start();
  return { name: `gateway:${venue}`, service, isReady: () => service.isReady(), stop: () => service.stop() };
}

export async function startQuoter(config: PerpetuaConfig, deps: ServiceDeps): Promise<RunningService & { service: QuoterService }> {
  const s = config.strategy;
  const v = venueConfig(config, s.venue);
  const instrument = paperInstruments(s.venue, v).find((i) => i.symbol === s.symbol);
  if (!instrument) throw new ConfigurationError(`strategy.symbol ${s.symbol} is not listed in venues.${s.venue}.symbols`);
  const service = new QuoterService({ id: s.id, venue: s.venue, account: s.account, symbol: s.symbol, params: s.params }, { ...deps, instrument });
  service.start();
  return { name: 'quoter', service, isReady: () => true, stop: async () => service.stop() };
}

export async function startRisk(config: PerpetuaConfig, deps: ServiceDeps & { store: StateStore }): Promise<RunningService & { service: RiskService }> {
  const service = new RiskService({ ...deps, limits: config.risk });
  await service.start();
  return { name: 'risk', service, isReady: () => true, stop: () => service.stop() };
}

export async function startOrderRouter(
  config: PerpetuaConfig,
  venue: string,
  deps: ServiceDeps & { store: StateStore; cancelOnStop?: boolean },
): Promise<RunningService & { service: OrderRouterService }> {
  const v = venueConfig(config, venue);
  const { adapter, subscriptions } = paperTradingVenue(deps.bus, venue, config.strategy.account, v);
  const service = new OrderRouterService({ ...deps, adapter });
  await service.start();
  return {
    name: `order-router:${venue}`,
    service,
    isReady: () => true,
    stop: async () => {
      await service.stop({ cancelOpen: deps.cancelOnStop ?? true });
      for (const s of subscriptions as Subscription[]) s.unsubscribe();
    },
  };
}
