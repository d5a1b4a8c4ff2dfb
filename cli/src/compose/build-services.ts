import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Bus, Subscription } from '@perpetua/bus';
import type { StateStore } from '@perpetua/state';
import type { GatewayService } from '@perpetua/service-gateway';
import { QuoterService, type PositionSource } from '@perpetua/service-quoter';
import { WallClock, type Clock, type Instrument } from '@perpetua/core';
import { RiskService } from '@perpetua/service-risk';
import { OrderRouterService } from '@perpetua/service-order-router';
import type { TradingAdapter } from '@perpetua/venues';
import type { VenueConfig } from '@perpetua/venues/config';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { ConfigurationError } from './configuration-error.js';
import { awaitInstrument } from './instrument-lookup.js';

/**
 * The venue adapters (ccxt above all) are loaded only by the services that talk
 * to venues, so a quoter or risk process does not carry them in memory.
 */
const loadVenues = () => import('@perpetua/venues');

/** The live trading adapter of a venue's router, not started (a hot standby starts it ahead with startWarmTradingAdapter). */
export async function createTradingAdapter(config: PerpetuaConfig, venues: ResolvedVenues, venue: string, deps: ServiceDeps): Promise<TradingAdapter> {
  const { MissingCredentialsError, createTrading } = await loadVenues();
  try {
    return createTrading(venue, accountFor(config, venue), venueConfig(venues, venue), venueAdapterHooks(venue, deps));
  } catch (err) {
    if (err instanceof MissingCredentialsError) throw new ConfigurationError(err.message);
    throw err;
  }
}

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

/** A service that starts once what it needs is there; `started` settles when it has (or could not). */
export interface DeferredService<T> extends RunningService {
  started: Promise<T>;
}

/** Venues as the services use them: the configuration's, pointed at the simulator when it is on. */
export type ResolvedVenues = Readonly<Record<string, VenueConfig>>;

function venueConfig(venues: ResolvedVenues, venue: string): VenueConfig {
  const v = venues[venue];
  if (!v) throw new ConfigurationError(`venue "${venue}" is not configured (configured: ${Object.keys(venues).join(', ') || 'none'})`);
  return v;
}

/**
 * Services that snap prices need their venue's instruments, which the venue's
 * gateway publishes; they start once those are there, so services can be
 * launched in any order. Until then they run but are not ready (/readyz).
 */
function deferred<T>(name: string, begin: () => Promise<{ service: T; stop: () => Promise<void> }>): DeferredService<T> {
  let stopped = false;
  let running: { service: T; stop: () => Promise<void> } | undefined;
  const started = begin().then(async (r) => {
    running = r;
    if (stopped) await r.stop(); // stopped while waiting: do not leave it running
    return r.service;
  });
  return {
    name,
    started,
    isReady: () => running !== undefined && !stopped,
    stop: async () => {
      stopped = true;
      await running?.stop();
    },
  };
}

export async function startGateway(
  config: PerpetuaConfig,
  venues: ResolvedVenues,
  venue: string,
  deps: ServiceDeps & { owns?: (symbol: string) => boolean },
): Promise<RunningService & { service: GatewayService }> {
  const v = venueConfig(venues, venue);
  const [{ GatewayService }, { createMarketData }] = await Promise.all([import('@perpetua/service-gateway'), loadVenues()]);
  const service = new GatewayService(createMarketData(venue, v, { onLimitWait: venueAdapterHooks(venue, deps).onLimitWait }), { symbols: v.symbols, ...config.gateway }, deps);
  await service.start();
  return { name: `gateway:${venue}`, service, isReady: () => service.isReady(), stop: () => service.stop() };
}

/**
 * The quoter hosting every configured strategy. It starts once each strategy's
 * instrument is published; with a store it begins from the booked positions.
 */
export function startQuoter(config: PerpetuaConfig, deps: ServiceDeps & { store?: PositionSource; clock?: Clock }): DeferredService<QuoterService> {
  return deferred('quoter', async () => {
    const instruments = new Map<string, Instrument>();
    for (const s of config.strategies) instruments.set(`${s.venue}\u0000${s.symbol}`, await awaitInstrument(deps.bus, s.venue, s.symbol));
    const strategies = config.strategies.map((s) => ({
      id: s.id,
      venue: s.venue,
      account: s.account,
      symbol: s.symbol,
      params: s.params,
      maxPosition: config.risk.maxPosition,
      // Any strategy on StandX runs the maker-yield tracker, not only maker-yield (sip5a unless the strategy names its rules).
      ...(config.venues[s.venue]?.kind === 'standx'
        ? { makerYield: s.params.kind === 'maker-yield' ? { ruleSet: s.params.rule_set, unit: s.params.yield_unit, cap: s.params.yield_cap } : { ruleSet: 'sip5a' as const } }
        : {}),
    }));
    const service = new QuoterService(strategies, {
      ...deps,
      clock: deps.clock ?? new WallClock(),
      instruments: (venue, symbol) => instruments.get(`${venue}\u0000${symbol}`)!,
    });
    await service.start();
    return { service, stop: async () => service.stop() };
  });
}

/** The account a venue's router trades: the first strategy's on that venue, else the first strategy's. */
export function accountFor(config: PerpetuaConfig, venue: string): string {
  return (config.strategies.find((s) => s.venue === venue) ?? config.strategy).account;
}

export async function startRisk(config: PerpetuaConfig, deps: ServiceDeps & { store: StateStore }): Promise<RunningService & { service: RiskService }> {
  const service = new RiskService({ ...deps, limits: config.risk });
  await service.start();
  return { name: 'risk', service, isReady: () => true, stop: () => service.stop() };
}

/**
 * The order router of one venue account: live, through the venue's trading
 * adapter; paper, with an adapter that fills against the venue's published books.
 */
export function startOrderRouter(
  config: PerpetuaConfig,
  venues: ResolvedVenues,
  venue: string,
  deps: ServiceDeps & {
    store: StateStore;
    cancelOnStop?: boolean;
    /** Live: this adapter (started ahead by a standby) instead of a new one. */
    adapter?: TradingAdapter;
    /** Symbols the standby's adapter saw orders in: a takeover's reconcile looks there too, besides the configured ones. */
    symbolsSeen?: () => string[];
    wrapAdapter?: (adapter: TradingAdapter) => TradingAdapter;
    /** false: cancel and place even where the venue amends (as the backtest's router does). */
    amend?: boolean;
  },
): DeferredService<OrderRouterService> {
  const v = venueConfig(venues, venue);
  return deferred(`order-router:${venue}`, async () => {
    const { MissingCredentialsError, createTrading } = await loadVenues();
    let adapter: TradingAdapter;
    let subscriptions: Subscription[] = [];
    if (config.trading.mode === 'live' && deps.adapter) adapter = deps.adapter;
    else if (config.trading.mode === 'live') {
      try {
        adapter = createTrading(venue, accountFor(config, venue), v, venueAdapterHooks(venue, deps));
      } catch (err) {
        if (err instanceof MissingCredentialsError) throw new ConfigurationError(err.message);
        throw err;
      }
    } else {
      const instruments = await Promise.all(v.symbols.map((symbol) => awaitInstrument(deps.bus, venue, symbol)));
      const { paperTradingVenue } = await import('./paper-venue.js');
      ({ adapter, subscriptions } = paperTradingVenue(deps.bus, venue, accountFor(config, venue), instruments));
    }
    if (deps.amend === false) adapter = withoutAmend(adapter);
    if (deps.wrapAdapter) adapter = deps.wrapAdapter(adapter);
    const reconcile = {
      intervalMs: config.router.reconcileIntervalMs,
      positionTolerance: config.router.positionTolerance[adapter.account],
      // On start, open orders asked for per symbol: Binance weighs the all-symbol query 40 and ccxt's limiter would hold a takeover's cancels ~2 s.
      startSymbols: () => [...v.symbols, ...(deps.symbolsSeen?.() ?? [])],
    };
    const service = new OrderRouterService({ ...deps, adapter, publishOrderTraces: config.telemetry.publishOrderTraces, reconcile });
    try {
      await service.start();
    } catch (err) {
      // Not started (a standby that lost the lease while reconciling, a venue that refused): leave nothing subscribed;
      // an adapter of our own is closed, a given one stays with its owner.
      for (const s of subscriptions) s.unsubscribe();
      if (!deps.adapter) await adapter.close().catch(() => {});
      throw err;
    }
    return {
      service,
      stop: async () => {
        await service.stop({ cancelOpen: deps.cancelOnStop ?? true });
        for (const s of subscriptions) s.unsubscribe();
        await adapter.close();
      },
    };
  });
}

/** The adapter with its amend hidden: the router then changes an order by a cancel and a place. */
function withoutAmend(adapter: TradingAdapter): TradingAdapter {
  return new Proxy(adapter, { get: (target, key, receiver) => (key === 'amendOrder' ? undefined : Reflect.get(target, key, receiver)) });
}

/** One counter per registry, however many routers share it (`perpetua start` may run several). */
function counterOn(registry: Registry, name: string, help: string, labelNames: string[]): Counter<string> {
  const existing = registry.getSingleMetric(name);
  return existing instanceof Counter ? (existing as Counter<string>) : new Counter({ name, help, labelNames, registers: [registry] });
}

/** A trading adapter's repaired or unreadable venue records and its waits on the venue's limits, as metrics and logs. */
function venueAdapterHooks(venue: string, deps: ServiceDeps) {
  const invalid = counterOn(deps.registry, 'perpetua_venue_records_invalid_total', 'Venue records a trading adapter could not read or had to repair, by kind', ['venue', 'kind']);
  const waits = counterOn(deps.registry, 'perpetua_venue_limit_waits_total', 'Calls or connections held back by the venue limits', ['venue', 'limit']);
  const logged = new Set<string>();
  return {
    onInvalid: (kind: string, detail: string) => {
      invalid.inc({ venue, kind });
      if (logged.has(kind)) return;
      logged.add(kind);
      deps.logger.warn({ venue, kind, detail: detail.slice(0, 200) }, 'venue record refused or repaired (logged once per kind)');
    },
    onLimitWait: (limit: string) => waits.inc({ venue, limit }),
  };
}
