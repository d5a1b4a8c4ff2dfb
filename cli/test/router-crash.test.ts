import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { D, dec, RouterReconcileReport, routerReconcileSubject, toText, type Decimal } from '@perpetua/core';
import { NatsBus } from '@perpetua/bus';
import { startSimulator, type RunningSimulator, type SimFill, type SimOrder, type VenueEngine } from '@perpetua/sim';
import { RedisStateStore } from '@perpetua/state';
import { holdsFor, startNats, startRedis, uniquePrefix, type TestServer, waitUntil } from '@perpetua/testkit';
import { spawnUntilReady, type ReadyChild } from './spawn-ready.js';
import { engineAccount } from './trading-harness.js';

/**
 * Acceptance for reconciliation: gateway, risk, quoter and order-router as separate processes trading live
 * against the simulator on every venue (Binance USD-M and Bybit through ccxt, StandX and GRVT through their
 * native adapters), on real nats-server and redis-server. The router is killed with SIGKILL while its quotes
 * rest, the market trades through them while it is dead, and a new router starts: afterwards the venue holds
 * no order the router does not own, and Redis has booked exactly the venue's fills — none lost, none twice,
 * compared by fill id with the engine's — with the venue's position. Each venue runs as its own case with
 * its own services and Redis prefix.
 */
const SYMBOL = 'BTC-PERP';
const ACCOUNT = 'paper'; // strategy.account: our name for the venue account
const Ready = z.object({ event: z.literal('ready'), service: z.string(), http: z.string() });
type Child = ReadyChild<z.infer<typeof Ready>>;

let nats: TestServer;
let redis: TestServer;
let sim: RunningSimulator;
let dir: string;
const children: Child[] = [];

async function service(name: string, venue: string, configFile: string, prefix: string, started: Child[]): Promise<Child> {
  const child = await spawnUntilReady(['service', name, '--venue', venue, '--config', configFile], Ready, {
    NATS_URL: nats.url,
    REDIS_URL: redis.url,
    PERPETUA_REDIS__KEY_PREFIX: prefix,
    PERPETUA_SIM__ADMIN: sim.ready.admin!,
    PERPETUA_TRADING__MODE: 'live',
  }, 60_000); // generous: the test machine may be busy
  children.push(child);
  started.push(child);
  return child;
}

/** Bybit's execution id on the wire: the engine's fill id in a UUID (libs/sim/src/facades/bybit/wire-ids.ts). */
const bybitExecId = (fillId: string): string => {
  const hex = BigInt(fillId).toString(16).padStart(16, '0');
  return `e0000001-0000-4000-${hex.slice(0, 4)}-${hex.slice(4)}`;
};
/** GRVT trade ids are the engine's per-symbol trade id qualified by the instrument's 1-based place in the list. */
const grvtOrdinal = (): number => sim.world.venue('grvt').instruments().findIndex((i) => i.symbol === SYMBOL) + 1;

/**
 * Each venue's fill ids as its adapter builds them from the wire, made comparable with the engine's fills:
 * ccxt `symbol:tradeId:liquidity` (Binance's and OKX's trade id is the engine's; Bybit's is the execution id, from the
 * engine's fill id); StandX the trade record's id (the engine's fill id); GRVT `tradeId-ordinal:m|t`.
 */
const VENUES: ReadonlyArray<{ venue: string; engineId: (f: SimFill) => string; config?: string[] }> = [
  { venue: 'binanceusdm', engineId: (f) => `${SYMBOL}:${f.tradeId}:${f.liquidity}` },
  { venue: 'bybit', engineId: (f) => `${SYMBOL}:${bybitExecId(f.fillId)}:${f.liquidity}` },
  // OKX's tradeId is the engine's; its sizes are contracts on the wire, base units here and in the engine.
  { venue: 'okx', engineId: (f) => `${SYMBOL}:${f.tradeId}:${f.liquidity}` },
  { venue: 'standx', engineId: (f) => f.fillId },
  {
    venue: 'grvt',
    engineId: (f) => `${f.tradeId}-${grvtOrdinal()}:${f.liquidity === 'taker' ? 't' : 'm'}`,
    // GRVT's cancel-on-disconnect (5 s by default) would pull the dead router's quotes itself, before the market
    // trades through them and before the restarted router has orphans to reconcile: outlast the crash here.
    config: ['venues:', '  grvt:', '    kind: grvt', '    symbols: [BTC-PERP]', '    cancelOnDisconnectMs: 180000'],
  },
];
const signed = (side: string, qty: string): Decimal => (side === 'buy' ? dec(qty) : D.neg(dec(qty)));

/** An account of the test's own on each venue: it takes liquidity as the market would. */
const TAKER = 'router-crash-taker';

/**
 * Sends an IOC from TAKER at `order`'s price, big enough to take every level up to and including the order's (its
 * limit keeps it from going further; the order's own size on top keeps it above the venue's minimum notional).
 */
function tradeThrough(engine: VenueEngine, order: SimOrder): void {
  if (!engine.hasAccount(TAKER)) engine.createAccount(TAKER, '1000000000');
  const price = dec(order.price);
  const book = engine.book(SYMBOL);
  const levels = order.side === 'buy' ? book.bids.filter(([p]) => dec(p) >= price) : book.asks.filter(([p]) => dec(p) <= price);
  const qty = levels.reduce((sum, [, q]) => D.add(sum, dec(q)), dec(order.qty));
  const placed = engine.placeOrder({ accountId: TAKER, symbol: SYMBOL, side: order.side === 'buy' ? 'sell' : 'buy', type: 'limit', price: order.price, qty: toText(qty), tif: 'ioc' });
  expect(placed.ok, `the taker's order through ${order.side} ${order.price}: ${JSON.stringify(placed)}`).toBe(true);
}

beforeAll(async () => {
  [nats, redis] = await Promise.all([startNats(), startRedis()]);
  sim = await startSimulator({ seed: 17 });
  dir = mkdtempSync(join(tmpdir(), 'perpetua-router-crash-'));
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  await sim?.close();
  await nats?.stop();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(VENUES)('order router crash and reconciliation (live trading on the simulator, $venue)', ({ venue: VENUE, engineId, config }) => {
  it('after kill -9 and a restart: no orphan order on the venue, every venue fill booked exactly once, positions equal', async () => {
    const prefix = `${uniquePrefix('crash')}:`;
    const configFile = join(dir, `${VENUE}.yaml`);
    // Tight quotes, so the market trades through them within seconds.
    writeFileSync(
      configFile,
      [
        ...['strategy:', `  venue: ${VENUE}`, '  params:', '    kind: fixed-spread', '    spreadBps: 0.5', "    size: '0.01'"],
        ...['risk:', "  maxPosition: '5'", "  maxOrderSize: '0.1'", 'telemetry:', '  logLevel: warn'],
        ...(config ?? []),
        '',
      ].join('\n'),
    );
    // This venue's services stop with its case: risk processes share the durable FILLS consumer ('risk-positions'),
    // so one left running from an earlier venue would take a share of this venue's fills into its own Redis prefix.
    const started: Child[] = [];
    const start = (name: string) => service(name, VENUE, configFile, prefix, started);
    const engine = sim.world.venue(VENUE);
    const accountId = engineAccount(sim.ready, VENUE); // GRVT's credentials name its main account, not the engine's
    const engineFills = () => engine.fills(accountId, { symbol: SYMBOL, limit: 1_000_000 });
    const engineOpen = () => engine.openOrders(accountId, SYMBOL);
    const bus = await NatsBus.connect({ url: nats.url, name: 'router-crash-observer' });
    const store = new RedisStateStore(redis.url, { prefix });
    const reports: RouterReconcileReport[] = [];
    bus.subscribe(routerReconcileSubject(VENUE), RouterReconcileReport, (r) => void reports.push(r));
    try {
      await start('risk');
      let router = await start('order-router');
      const quoter = await start('quoter');
      await start('gateway');
      await waitUntil(() => reports.length >= 1, 30_000, 'the first router reconciled', 100);
      await waitUntil(() => engineFills().length >= 4, 60_000, 'fills while the router runs', 100);
      await waitUntil(async () => ((await store.getPosition(VENUE, ACCOUNT, SYMBOL))?.fills ?? 0) >= 2, 20_000, 'fills booked in Redis', 100);

      // Crash the router with its quotes resting; the market keeps trading through them. A cancel the router sent
      // just before it died can still reach the venue and leave nothing resting (seen on a loaded machine): that
      // crash proves nothing about orphans, so the router is restarted and crashed again, three times at most.
      let resting: ReturnType<typeof engineOpen> = [];
      for (let attempt = 1; attempt <= 3 && resting.length === 0; attempt++) {
        if (attempt > 1) {
          const seen = reports.length;
          router = await start('order-router');
          await waitUntil(() => reports.length > seen, 30_000, 'the router restarted for another crash reconciled', 100);
        }
        await waitUntil(() => engineOpen().length > 0, 10_000, 'quotes resting', 100);
        await router.stop('SIGKILL');
        resting = engineOpen();
      }
      const restingAtCrash = new Set(resting.map((o) => o.clientOrderId));
      const fillsAtCrash = engineFills().length;
      // The random flow may drift away from the dead quotes: another account trades through one of them for sure.
      expect(resting.length, 'a quote resting at the crash').toBeGreaterThan(0);
      tradeThrough(engine, resting[0]!);
      const tradedThrough = resting[0]!.clientOrderId;
      await waitUntil(() => engineFills().length > fillsAtCrash && !engineOpen().some((o) => o.clientOrderId === tradedThrough), 30_000, 'the dead quote filled', 100);
      const filledWhileDead = engineFills().length - fillsAtCrash;
      expect(filledWhileDead, "the market traded through the dead router's quotes").toBeGreaterThan(0);

      // Restart: reconciliation cancels the orphans and adopts the fills nobody published.
      const reportsBeforeRestart = reports.length;
      const fillsAtRestart = engineFills().length;
      router = await start('order-router');
      await waitUntil(() => reports.length > reportsBeforeRestart, 30_000, 'the restarted router reconciled', 100);
      const report = reports[reportsBeforeRestart]!;
      expect(report.trigger).toBe('start');
      expect(report.errors).toEqual([]);
      expect(report.fillsAdopted).toBeGreaterThanOrEqual(filledWhileDead);
      // None of the orders resting at the crash survives; the new router keeps at most one per slot.
      let open = engineOpen();
      await holdsFor(
        () => {
          open = engineOpen();
          return !open.some((o) => restingAtCrash.has(o.clientOrderId)) && open.filter((o) => o.side === 'buy').length <= 1 && open.filter((o) => o.side === 'sell').length <= 1;
        },
        2_000,
        () => `no order from before the crash, at most one per slot (open: ${open.map((o) => `${o.clientOrderId} ${o.side} ${o.price}`).join(', ')})`,
        50,
      );
      await waitUntil(() => engineFills().length > fillsAtRestart, 30_000, 'fills after the restart', 100);

      // Stop quoting, then the router (it pulls its orders), and audit Redis against the venue.
      await quoter.stop('SIGTERM');
      expect(await router.stop('SIGTERM')).toBe(0);
      expect(engineOpen()).toEqual([]);
      const truth = engineFills();
      await waitUntil(async () => (await store.fillLog(VENUE, ACCOUNT, SYMBOL)).length >= truth.length, 20_000, 'risk booked every fill', 100);
      // A fill booked twice or one the venue does not have would land within this window.
      await holdsFor(async () => (await store.fillLog(VENUE, ACCOUNT, SYMBOL)).length === truth.length, 500, `no more booked fills than the venue's ${truth.length}`, 50);
      const log = await store.fillLog(VENUE, ACCOUNT, SYMBOL);
      expect(new Set(log).size).toBe(log.length);
      expect([...log].sort()).toEqual(truth.map(engineId).sort());
      const position = (await store.getPosition(VENUE, ACCOUNT, SYMBOL))!;
      expect(position.fills).toBe(truth.length);
      const venueQty = truth.reduce((sum, f) => D.add(sum, signed(f.side, f.qty)), D.ZERO);
      expect(position.qty).toBe(toText(venueQty));
      expect(dec(position.qty)).toBe(dec(engine.position(accountId, SYMBOL).qty));
    } finally {
      await Promise.all(started.map((c) => c.stop('SIGTERM')));
      await bus.close();
      await store.close();
    }
  }, 180_000);
});
