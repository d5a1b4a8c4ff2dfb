import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { D, dec, Fill, RiskStateMessage, RouterReconcileReport, routerReconcileSubject, snapPrice, subjects, toText, type SetQuotesCommand } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore, RedisStateStore, type StateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { CcxtTrading } from '@perpetua/venues';
import { createSimWorld, FaultInjector, startBinanceFacade, type BinanceFacade, type SimWorldImpl, type VenueEngine } from '@perpetua/sim';
import { RiskService } from '@perpetua/service-risk';
import { startRedis, uniquePrefix, waitUntil, type TestServer } from '@perpetua/testkit';
import { OrderRouterService, type ReconcileOptions } from '../src/order-router-service.js';

/**
 * Issue #24, acceptance 3, through the real router and ccxt adapter against the simulator's Binance façade:
 * a private stream dropped while a fill happens is reconciled on the reconnect (the fill booked exactly once,
 * the run reported on router.reconcile); a position difference beyond tolerance halts the account's quoting
 * with its reason on risk.state and the metrics; a restarted router loads its persisted open orders and
 * cancels them by client id even when the venue does not answer its open-orders query.
 */

const logger = createLogger({ service: 'router-reconcile-e2e', level: 'silent' });
const VENUE = 'binanceusdm';
const ACCOUNT = 'acct-1';
const SYMBOL = 'BTC-PERP';
const TAKER = 'reconcile-taker';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

let redis: TestServer;
beforeAll(async () => {
  redis = await startRedis();
}, 60_000);
afterAll(async () => {
  await redis?.stop();
});

interface Sim {
  world: SimWorldImpl;
  facade: BinanceFacade;
  engine: VenueEngine;
  faults: FaultInjector;
}

async function startSim(seed: number): Promise<Sim> {
  const world = createSimWorld({ seed, clock: 'wall', venues: [VENUE] });
  world.start(20);
  cleanup.push(() => world.stop());
  const facade = await startBinanceFacade({ world });
  cleanup.push(() => facade.close());
  const faults = new FaultInjector({ world });
  faults.attachBinance(facade);
  cleanup.push(() => faults.close());
  return { world, facade, engine: world.venue(VENUE), faults };
}

function adapterFor(sim: Sim): CcxtTrading {
  const { facade } = sim;
  return new CcxtTrading({
    venue: VENUE,
    account: ACCOUNT,
    connection: { exchangeId: VENUE, apiKey: facade.credentials.apiKey, secret: facade.credentials.secret, restBaseUrl: facade.restUrl, wsBaseUrl: facade.restUrl.replace(/^http/, 'ws'), enableRateLimit: false },
  });
}

interface Running {
  router: OrderRouterService;
  adapter: CcxtTrading;
  registry: Registry;
  stop(options?: { cancelOpen?: boolean }): Promise<void>;
}

async function startRouter(sim: Sim, bus: InProcessBus, store: StateStore, reconcile: ReconcileOptions): Promise<Running> {
  const adapter = adapterFor(sim);
  const registry = new Registry();
  const router = new OrderRouterService({ bus, adapter, store, logger, registry, reconcile });
  await router.start();
  let stopped = false;
  const stop = async (options: { cancelOpen?: boolean } = { cancelOpen: true }) => {
    if (stopped) return;
    stopped = true;
    await router.stop(options);
    await adapter.close();
  };
  cleanup.push(() => stop());
  return { router, adapter, registry, stop };
}

async function startRisk(bus: InProcessBus, store: StateStore): Promise<RiskService> {
  const risk = new RiskService({ bus, store, limits: { maxPosition: '10', maxOrderSize: '1' }, logger, registry: new Registry() });
  await risk.start();
  cleanup.push(() => risk.stop());
  return risk;
}

let seq = 0;
/** Two quotes 1% away from the touch, where the simulator's own flow does not reach them. */
function farQuotes(engine: VenueEngine, qty = '0.002'): SetQuotesCommand {
  const b = engine.book(SYMBOL, 1);
  const tick = engine.instruments().find((i) => i.symbol === SYMBOL)!.tickSize;
  const bid = snapPrice({ tickSize: tick }, 'buy', Number(b.bids[0]![0]) * 0.99);
  const ask = snapPrice({ tickSize: tick }, 'sell', Number(b.asks[0]![0]) * 1.01);
  seq++;
  return {
    type: 'set_quotes',
    commandId: `c${seq}`,
    venue: VENUE,
    account: ACCOUNT,
    strategy: 'mm',
    symbol: SYMBOL,
    intentId: `i${seq}`,
    quotes: [
      { slot: 'bid-0', side: 'buy', price: bid, qty, postOnly: true },
      { slot: 'ask-0', side: 'sell', price: ask, qty, postOnly: true },
    ],
    ts: Date.now(),
  };
}

/** Sells from TAKER through every bid level down to and including `price`: an order resting there fills in full. */
function sellThrough(engine: VenueEngine, price: string, ownQty: string): void {
  if (!engine.hasAccount(TAKER)) engine.createAccount(TAKER, '1000000000');
  const levels = engine.book(SYMBOL).bids.filter(([p]) => dec(p) >= dec(price));
  const qty = levels.reduce((sum, [, q]) => D.add(sum, dec(q)), dec(ownQty));
  const placed = engine.placeOrder({ accountId: TAKER, symbol: SYMBOL, side: 'sell', type: 'limit', price, qty: toText(qty), tif: 'ioc' });
  expect(placed.ok, JSON.stringify(placed)).toBe(true);
}

const metricValue = async (registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> => {
  const m = registry.getSingleMetric(name);
  const data = await m?.get();
  return data?.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
};

/** Binance's fill id as the ccxt adapter builds it (symbol:tradeId:liquidity). */
const fillIdOf = (f: { tradeId: string | number; liquidity: string }): string => `${SYMBOL}:${f.tradeId}:${f.liquidity}`;

describe('router reconciliation against the simulator (binanceusdm through ccxt)', () => {
  it('a fill sent while the private stream is dropped is adopted on the reconnect, booked exactly once, and the run is reported', async () => {
    const sim = await startSim(31);
    const bus = new InProcessBus();
    cleanup.push(() => bus.close());
    const store = new MemoryStateStore();
    await startRisk(bus, store);
    const reports: RouterReconcileReport[] = [];
    bus.subscribe(routerReconcileSubject(VENUE), RouterReconcileReport, (r) => void reports.push(r));
    const published: string[] = [];
    bus.subscribe(subjects.fill(VENUE, SYMBOL), Fill, (f) => void published.push(f.fillId));
    // No timer: only the reconnect can set the second run off.
    const { router, registry } = await startRouter(sim, bus, store, { settleMs: 5_000, intervalMs: 0 });
    await waitUntil(() => reports.length >= 1, 15_000, 'the start reconciliation');
    expect(reports[0]!.trigger).toBe('start');

    const accountId = sim.facade.accountId;
    const set = farQuotes(sim.engine);
    const bid = set.quotes[0]!;
    bus.publish(subjects.orderCommand(VENUE), set);
    await waitUntil(() => sim.engine.openOrders(accountId, SYMBOL).length === 2, 10_000, 'both quotes resting');
    await waitUntil(() => router.stats.placed === 2, 5_000, 'the router saw both placed');

    // The next frame on the router's private connection (the fill's) closes it instead of reaching the router.
    sim.faults.inject({ kind: 'ws_drop', venue: VENUE });
    sellThrough(sim.engine, bid.price, bid.qty);
    const engineFills = () => sim.engine.fills(accountId, { symbol: SYMBOL, limit: 10_000 });
    await waitUntil(() => engineFills().length >= 1, 5_000, 'the quote filled at the venue');
    const filledAt = engineFills().length;

    await waitUntil(() => reports.some((r) => r.trigger === 'reconnect'), 20_000, 'a reconciliation after the reconnect');
    const run = reports.find((r) => r.trigger === 'reconnect')!;
    expect(run.errors).toEqual([]);
    // The stream never delivered it: the reconciliation found and published it.
    expect(router.stats.fills).toBe(0);
    expect(run.fillsAdopted).toBe(filledAt);
    // The filled bid closed unseen too: settled by query, so its slot is free again.
    expect(run.ordersClosedUnseen).toBe(1);
    expect(await metricValue(registry, 'perpetua_router_reconcile_runs_total', { venue: VENUE, trigger: 'reconnect' })).toBeGreaterThanOrEqual(1);

    // Booked exactly once: one publish per venue fill, and the position equals the venue's.
    const truth = engineFills().map(fillIdOf).sort();
    await waitUntil(async () => (await store.fillLog(VENUE, ACCOUNT, SYMBOL)).length >= truth.length, 10_000, 'risk booked the adopted fill');
    expect([...published].sort()).toEqual(truth);
    expect([...(await store.fillLog(VENUE, ACCOUNT, SYMBOL))].sort()).toEqual(truth);
    expect(dec((await store.getPosition(VENUE, ACCOUNT, SYMBOL))!.qty)).toBe(dec(sim.engine.position(accountId, SYMBOL).qty));
    // The positions agree once booked: the run reported none.
    expect(run.positionDifferences).toEqual([]);

    // The router quotes on: the freed bid slot is placed again by the next set.
    bus.publish(subjects.orderCommand(VENUE), farQuotes(sim.engine));
    await waitUntil(() => sim.engine.openOrders(accountId, SYMBOL).length === 2, 10_000, 'both slots resting again');
  }, 60_000);

  it('a position difference beyond tolerance halts the account (risk.state and metrics say why) until the positions agree again', async () => {
    const sim = await startSim(32);
    const bus = new InProcessBus();
    cleanup.push(() => bus.close());
    const store = new MemoryStateStore();
    await startRisk(bus, store);
    const states: RiskStateMessage[] = [];
    bus.subscribe(subjects.riskState(), RiskStateMessage, (s) => void states.push(s));
    const reports: RouterReconcileReport[] = [];
    bus.subscribe(routerReconcileSubject(VENUE), RouterReconcileReport, (r) => void reports.push(r));
    const { router, registry } = await startRouter(sim, bus, store, { settleMs: 0, intervalMs: 300, positionTolerance: '0.005' });
    const accountId = sim.facade.accountId;
    bus.publish(subjects.orderCommand(VENUE), farQuotes(sim.engine));
    await waitUntil(() => sim.engine.openOrders(accountId, SYMBOL).length === 2, 10_000, 'both quotes resting');
    await waitUntil(() => reports.some((r) => r.trigger === 'timer'), 5_000, 'a timer reconciliation');
    expect(router.isHalted).toBe(false);

    // A booking the venue never saw: the store is long 0.01 BTC more than the venue (within tolerance first).
    const fake = (id: string, side: 'buy' | 'sell', qty: string): Fill => ({
      venue: VENUE, account: ACCOUNT, symbol: SYMBOL, fillId: id, clientOrderId: 'not-at-the-venue', side, price: '100000', qty,
      fee: '0', liquidity: 'maker', tsExchange: Date.now(), tsReceived: Date.now(),
    });
    await store.applyFill(fake('fake-1', 'buy', '0.004'));
    const seen = reports.length;
    await waitUntil(() => reports.length > seen + 1, 5_000, 'two more timer runs');
    expect(router.isHalted).toBe(false);
    expect(sim.engine.openOrders(accountId, SYMBOL).length).toBe(2);

    await store.applyFill(fake('fake-2', 'buy', '0.006'));
    await waitUntil(() => router.isHalted, 5_000, 'the account halted');
    await waitUntil(() => sim.engine.openOrders(accountId, SYMBOL).length === 0, 5_000, "the account's quotes cancelled");
    const halting = reports.find((r) => r.halt)!;
    expect(halting.halt!.reason).toContain('beyond tolerance 0.005');
    expect(halting.halt!.reason).toContain(`${SYMBOL} venue 0 vs booked 0.01`);
    await waitUntil(() => states.some((s) => s.accountHalts?.some((h) => h.venue === VENUE && h.account === ACCOUNT)), 5_000, 'the halt on risk.state');
    const onRisk = states.find((s) => s.accountHalts?.length)!.accountHalts![0]!;
    expect(onRisk.reason).toBe(halting.halt!.reason);
    // Only this account: the global kill switch is not pulled.
    expect(states.at(-1)!.halted).toBe(false);
    expect(await metricValue(registry, 'perpetua_router_position_halts_total', { venue: VENUE, account: ACCOUNT })).toBe(1);
    expect(await metricValue(registry, 'perpetua_router_position_difference', { venue: VENUE, account: ACCOUNT, symbol: SYMBOL })).toBeCloseTo(0.01, 12);

    // Halted: a new quote set places nothing (observed over a few timer runs).
    bus.publish(subjects.orderCommand(VENUE), farQuotes(sim.engine));
    const during = reports.length;
    await waitUntil(() => reports.length > during + 2, 5_000, 'three more runs while halted');
    expect(sim.engine.openOrders(accountId, SYMBOL)).toEqual([]);
    expect(await metricValue(registry, 'perpetua_router_position_halts_total', { venue: VENUE, account: ACCOUNT })).toBe(1);

    // The books agree again: the next run lifts the halt, risk.state drops it, and quoting resumes.
    await store.applyFill(fake('fake-3', 'sell', '0.01'));
    await waitUntil(() => !router.isHalted, 5_000, 'the halt lifted');
    await waitUntil(() => states.at(-1)!.accountHalts === undefined, 5_000, 'risk.state without the halt');
    expect(await metricValue(registry, 'perpetua_router_position_difference', { venue: VENUE, account: ACCOUNT, symbol: SYMBOL })).toBe(0);
    bus.publish(subjects.orderCommand(VENUE), farQuotes(sim.engine));
    await waitUntil(() => sim.engine.openOrders(accountId, SYMBOL).length === 2, 10_000, 'quoting again');
  }, 60_000);

  const stores: ReadonlyArray<{ name: string; open(): { store: StateStore; reopen(): StateStore } }> = [
    {
      name: 'memory',
      open: () => {
        const store = new MemoryStateStore();
        return { store, reopen: () => store };
      },
    },
    {
      name: 'redis',
      open: () => {
        const prefix = `${uniquePrefix('reconcile')}:`;
        const store = new RedisStateStore(redis.url, { prefix });
        cleanup.push(() => store.close());
        return {
          store,
          // A restarted router's own connection to the same keys.
          reopen: () => {
            const again = new RedisStateStore(redis.url, { prefix });
            cleanup.push(() => again.close());
            return again;
          },
        };
      },
    },
  ];

  for (const s of stores) {
    it(`${s.name} store: a restarted router loads its persisted open orders and cancels them by id when the venue does not list them`, async () => {
      const sim = await startSim(33);
      const bus = new InProcessBus();
      cleanup.push(() => bus.close());
      const { store, reopen } = s.open();
      const accountId = sim.facade.accountId;
      const first = await startRouter(sim, bus, store, { settleMs: 0, intervalMs: 0 });
      bus.publish(subjects.orderCommand(VENUE), farQuotes(sim.engine));
      await waitUntil(() => sim.engine.openOrders(accountId, SYMBOL).length === 2, 10_000, 'both quotes resting');
      const resting = sim.engine.openOrders(accountId, SYMBOL).map((o) => o.clientOrderId).sort();
      // Saved within the snapshot's batch, with the slot each holds.
      await waitUntil(async () => (await store.loadOpenOrders(VENUE, ACCOUNT)).length === 2, 5_000, 'the open orders persisted');
      const saved = await store.loadOpenOrders(VENUE, ACCOUNT);
      expect(saved.map((o) => o.clientOrderId).sort()).toEqual(resting);
      expect(saved.map((o) => `${o.strategy}/${o.slot}`).sort()).toEqual(['mm/ask-0', 'mm/bid-0']);

      // The router goes away leaving its quotes (as a crash would); the venue will not answer the open-orders query.
      await first.stop({ cancelOpen: false });
      expect(sim.engine.openOrders(accountId, SYMBOL).length).toBe(2);
      sim.faults.inject({ kind: 'http_error', venue: VENUE, status: 503, path: '/fapi/v1/openOrders' });

      const reports: RouterReconcileReport[] = [];
      bus.subscribe(routerReconcileSubject(VENUE), RouterReconcileReport, (r) => void reports.push(r));
      await startRouter(sim, bus, reopen(), { settleMs: 0, intervalMs: 0 });
      await waitUntil(() => reports.length >= 1, 10_000, 'the restart reconciled');
      const report = reports[0]!;
      expect(report.trigger).toBe('start');
      expect(report.ordersLoaded).toBe(2);
      expect(report.orphansCancelled).toBe(2);
      expect(report.errors.some((e) => e.startsWith('open orders:'))).toBe(true);
      expect(sim.engine.openOrders(accountId, SYMBOL)).toEqual([]);
      // The new router owns nothing yet: its snapshot says so.
      await waitUntil(async () => (await store.loadOpenOrders(VENUE, ACCOUNT)).length === 0, 5_000, 'the persisted orders replaced');
    }, 60_000);
  }
});
