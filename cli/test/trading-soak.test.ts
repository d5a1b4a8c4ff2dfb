import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec } from '@perpetua/core';
import { RedisStateStore } from '@perpetua/state';
import { startSimulator, type RunningSimulator } from '@perpetua/sim';
import { startNats, startRedis, uniquePrefix, type TestServer } from '@perpetua/testkit';
import { ACCOUNT, SYMBOL, TRADING_VENUES, TradingStack, engineAccount, routerCounters, wait, waitFor, type RouterCounters, type ServiceChild, type TradingVenue } from './trading-harness.js';

/**
 * Acceptance for live trading on every venue at once (Binance and Bybit through
 * ccxt, StandX, GRVT), against the simulator: per venue a gateway, a quoter and
 * a live order router, one risk for all, each its own process. Quotes are
 * placed, replaced as the market moves, filled and cancelled; after the run
 * (and the routers' cancel-on-stop) the position risk booked in Redis equals
 * the venue engine's position of the demo account, on every venue.
 */
// Not PERPETUA_-prefixed: the services would read it as a config key.
const SOAK_MS = Number(process.env['TRADING_SOAK_MS'] ?? 300_000);

let nats: TestServer;
let redis: TestServer;
let sim: RunningSimulator;
let store: RedisStateStore;
let stack: TradingStack;
let prefix: string;

beforeAll(async () => {
  [nats, redis] = await Promise.all([startNats(), startRedis()]);
  sim = await startSimulator({ seed: 31 });
  prefix = `${uniquePrefix('soak')}:`;
  store = new RedisStateStore(redis.url, { prefix });
  stack = new TradingStack({ natsUrl: nats.url, redisUrl: redis.url, simAdmin: sim.ready.admin!, keyPrefix: prefix });
}, 60_000);

afterAll(async () => {
  await stack?.killAll();
  await store?.close();
  await sim?.close();
  await Promise.all([nats?.stop(), redis?.stop()]);
});

describe('live trading on four venues against the simulator', () => {
  it(
    'places, replaces, fills and cancels quotes on every venue; Redis positions equal the venues’ afterwards',
    async ({ annotate }) => {
      const accounts = Object.fromEntries(TRADING_VENUES.map((v) => [v, engineAccount(sim.ready, v)])) as Record<TradingVenue, string>;
      for (const v of TRADING_VENUES) expect(sim.world.venue(v).hasAccount(accounts[v]), `${v} demo account ${accounts[v]}`).toBe(true);
      const openOn = (v: TradingVenue) => sim.world.venue(v).openOrders(accounts[v], SYMBOL).length;

      // Two waves: thirteen tsx start-ups at once starve each other on a small machine.
      const routers = new Map<TradingVenue, ServiceChild>();
      const quoters = new Map<TradingVenue, ServiceChild>();
      await Promise.all([stack.spawn('risk', undefined), ...TRADING_VENUES.map((v) => stack.spawn('gateway', v))]);
      await Promise.all([
        ...TRADING_VENUES.map(async (v) => void routers.set(v, await stack.spawn('order-router', v))),
        // 1 bps each side of mid: at or inside the touch, so the simulator's taker flow fills us.
        ...TRADING_VENUES.map(async (v) => void quoters.set(v, await stack.quoter(v, { spreadBps: 1, size: '0.01' }))),
      ]);

      await waitFor(() => TRADING_VENUES.every((v) => openOn(v) > 0), 60_000, 'quotes resting on every venue');
      const started = Date.now();
      await wait(SOAK_MS);
      const counters = new Map<TradingVenue, RouterCounters>();
      for (const v of TRADING_VENUES) counters.set(v, await routerCounters(routers.get(v)!));

      // Stop quoting first, then the routers, which cancel everything on stop.
      await Promise.all([...quoters.values()].map((q) => stack.stop(q)));
      const routerExit = await Promise.all(TRADING_VENUES.map((v) => stack.stop(routers.get(v)!)));
      expect(routerExit).toEqual(TRADING_VENUES.map(() => 0));
      // Known router bug (reported): stop() cancels all while a quote set is still being worked, and that
      // worker's next placement lands after the cancel-all and outlives the router. Noted here and asserted
      // last, so the position audit still runs; the leftovers are pulled on the engine so no fill lands after it.
      const leftOpen = new Map<TradingVenue, string[]>();
      for (const v of TRADING_VENUES) {
        leftOpen.set(v, sim.world.venue(v).openOrders(accounts[v], SYMBOL).map((o) => `${o.clientOrderId} ${o.side} ${o.qty}@${o.price}`));
        sim.world.venue(v).cancelAll(accounts[v], SYMBOL);
      }

      const compare = async () =>
        Promise.all(
          TRADING_VENUES.map(async (v) => {
            const booked = await store.getPosition(v, ACCOUNT, SYMBOL);
            return { venue: v, redis: booked?.qty ?? '0', venueQty: sim.world.venue(v).position(accounts[v], SYMBOL).qty, fillsBooked: booked?.fills ?? 0 };
          }),
        );
      // Risk books the last fills from the stream a moment after the routers published them.
      await waitFor(async () => (await compare()).every((r) => dec(r.redis) === dec(r.venueQty)), 20_000, 'Redis positions equal to the venues').catch(() => undefined);
      const result = await compare();
      const summaries = new Map(result.map((r) => [r.venue, `${r.venue}: ${JSON.stringify({ ...counters.get(r.venue)!, ...r, soakMs: Date.now() - started, leftOpen: leftOpen.get(r.venue) })}`]));
      for (const summary of summaries.values()) await annotate(summary);
      for (const r of result) {
        const c = counters.get(r.venue)!;
        const summary = summaries.get(r.venue)!;
        expect(dec(r.redis), `${summary} — position in Redis vs venue`).toBe(dec(r.venueQty));
        expect(c.placed, `${summary} — placed`).toBeGreaterThan(2);
        expect(c.fills, `${summary} — fills`).toBeGreaterThan(0);
        expect(r.fillsBooked, `${summary} — fills booked`).toBeGreaterThan(0);
        expect(c.cancelled, `${summary} — cancels`).toBeGreaterThan(0);
        // Each slot starts with one order; every placement beyond the two slots replaced a cancelled or filled one.
        expect(c.placed - 2, `${summary} — replacements`).toBeGreaterThan(0);
      }
      expect(await stack.stop(stack.children.find((c) => c.name === 'risk')!)).toBe(0);
      for (const v of TRADING_VENUES) expect(leftOpen.get(v), `${v}: orders still open after its router stopped`).toEqual([]);
    },
    SOAK_MS + 240_000,
  );
});
