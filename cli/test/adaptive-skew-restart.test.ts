import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { D, QuoteIntent, StrategyStatsMessage, dec, subjects, toText } from '@perpetua/core';
import { NatsBus } from '@perpetua/bus';
import { RedisStateStore } from '@perpetua/state';
import { startSimulator, type RunningSimulator, type SimOrder, type VenueEngine } from '@perpetua/sim';
import { startNats, startRedis, uniquePrefix, type TestServer } from '@perpetua/testkit';
import { ACCOUNT, SYMBOL, TradingStack, engineAccount, waitFor } from './trading-harness.js';

/**
 * Acceptance (#19, 5): real NATS and Redis, the four services as processes
 * (gateway, risk, order router live on the simulator's Binance, the quoter),
 * an adaptive strategy. A taker of the test's own sells into the strategy's
 * bid: real fills, booked by risk. As the position grows the bid moves down
 * (further from the mid); a restarted quoter picks the position up from the
 * store and quotes skewed at once.
 */
const VENUE = 'binanceusdm';
const ID = 'adaptive-e2e';
const TAKER = 'adaptive-e2e-taker';
const BASE_BPS = 10;
const MAX_POSITION = 0.05;

let nats: TestServer;
let redis: TestServer;
let sim: RunningSimulator;
let stack: TradingStack;
let bus: NatsBus;
let store: RedisStateStore;
let dir: string;

beforeAll(async () => {
  [nats, redis] = await Promise.all([startNats(), startRedis()]);
  sim = await startSimulator({ seed: 23 });
  dir = mkdtempSync(join(tmpdir(), 'perpetua-adaptive-'));
}, 60_000);

afterAll(async () => {
  await stack?.killAll();
  await bus?.close();
  await store?.close();
  await sim?.close();
  await nats?.stop();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Sells into `order` (our bid) from the taker's account, IOC at its price: every level down to and including its own, plus its size (so the venue's minimum notional holds). */
function sellInto(engine: VenueEngine, order: SimOrder): void {
  if (!engine.hasAccount(TAKER)) engine.createAccount(TAKER, '1000000000');
  const price = dec(order.price);
  const ahead = engine.book(SYMBOL).bids.filter(([p]) => dec(p) >= price);
  const qty = ahead.reduce((sum, [, q]) => D.add(sum, dec(q)), dec(order.qty));
  const placed = engine.placeOrder({ accountId: TAKER, symbol: SYMBOL, side: 'sell', type: 'limit', price: order.price, qty: toText(qty), tif: 'ioc' });
  expect(placed.ok, JSON.stringify(placed)).toBe(true);
}

const bidOffsetBps = (i: QuoteIntent): number | undefined => {
  const bid = i.quotes.find((q) => q.slot === 'bid-0');
  return bid && i.mid ? ((i.mid - Number(bid.price)) / i.mid) * 10_000 : undefined;
};

describe('adaptive strategy on real fills (four services as processes)', () => {
  it('skews its bid down as the position grows long, and a restarted quoter starts from the stored position', async () => {
    const prefix = `${uniquePrefix('adaptive')}:`;
    const configFile = join(dir, 'adaptive.yaml');
    writeFileSync(
      configFile,
      [
        'strategy:',
        `  id: ${ID}`,
        `  venue: ${VENUE}`,
        '  params:',
        '    kind: adaptive',
        `    base_spread_bps: ${BASE_BPS}`,
        '    volatility_multiplier: 0', // the spread stays the base: only the skew moves the quotes
        '    skew_coefficient: 1',
        '    order_amount: 0.01',
        `    max_position: ${MAX_POSITION}`,
        '    order_refresh_time: 0.2',
        'risk:',
        "  maxPosition: '0.2'",
        "  maxOrderSize: '0.05'",
        '',
      ].join('\n'),
    );
    stack = new TradingStack({ natsUrl: nats.url, redisUrl: redis.url, simAdmin: sim.ready.admin!, keyPrefix: prefix, args: ['--config', configFile] });
    bus = await NatsBus.connect({ url: nats.url, name: 'adaptive-observer' });
    store = new RedisStateStore(redis.url, { prefix });
    const intents: QuoteIntent[] = [];
    bus.subscribe(subjects.quoteIntent(ID), QuoteIntent, (i) => void intents.push(i));
    let stats: StrategyStatsMessage | undefined;
    bus.subscribe(subjects.strategyStats(ID), StrategyStatsMessage, (s) => void (stats = s));

    await stack.spawn('gateway', VENUE);
    await stack.spawn('risk', undefined);
    await stack.spawn('order-router', VENUE);
    let quoter = await stack.spawn('quoter', VENUE);

    const engine = sim.world.venue(VENUE);
    const accountId = engineAccount(sim.ready, VENUE);
    const position = async () => Number((await store.getPosition(VENUE, ACCOUNT, SYMBOL))?.qty ?? '0');
    const lastOffset = () => {
      for (let k = intents.length - 1; k >= 0; k--) {
        const o = bidOffsetBps(intents[k]!);
        if (o !== undefined) return o;
      }
      return undefined;
    };
    await waitFor(() => lastOffset() !== undefined, 90_000, 'a first intent with a bid');
    // Flat: the bid sits the base half-spread under the mid (snapped passive: a hair more).
    const flatOffset = lastOffset()!;
    expect(Math.abs(await position())).toBeLessThan(0.005);
    expect(flatOffset).toBeGreaterThanOrEqual(BASE_BPS - 0.5);
    expect(flatOffset).toBeLessThan(BASE_BPS + 1);

    // Real fills: sell into our resting bid until the booked position is 0.03 long.
    for (let n = 0; n < 20 && (await position()) < 0.03 - 1e-9; n++) {
      await waitFor(() => engine.openOrders(accountId, SYMBOL).some((o) => o.side === 'buy'), 30_000, 'our bid resting on the venue');
      const before = await position();
      sellInto(engine, engine.openOrders(accountId, SYMBOL).find((o) => o.side === 'buy')!);
      await waitFor(async () => (await position()) > before, 30_000, `the fill booked by risk (venue position ${engine.position(accountId, SYMBOL).qty})`);
    }
    const long = await position();
    expect(long).toBeGreaterThanOrEqual(0.03 - 1e-9);
    // u = position / max_position; the bid moves u half-spreads further down.
    const expected = BASE_BPS * (1 + Math.min(1, long / MAX_POSITION));
    await waitFor(() => (lastOffset() ?? 0) > flatOffset + 0.5 * (expected - BASE_BPS), 30_000, `the bid to skew down (expected ~${expected} bps under the mid)`);
    const skewed = lastOffset()!;
    expect(skewed).toBeGreaterThan(flatOffset + 3);

    // Restart the quoter: it reads the position from the store and quotes skewed from its first set.
    await stack.stop(quoter);
    const seen = intents.length;
    quoter = await stack.spawn('quoter', VENUE);
    await waitFor(() => intents.slice(seen).some((i) => bidOffsetBps(i) !== undefined), 90_000, 'the restarted quoter quoting');
    const first = intents.slice(seen).find((i) => bidOffsetBps(i) !== undefined)!;
    expect(first.intentId).toBe(`${ID}-1`); // a new process: its first set
    expect(bidOffsetBps(first)!).toBeGreaterThan(flatOffset + 3);
    // Against the store as it is at each look: the simulator's own flow may fill the restarted quoter meanwhile.
    let stored = await position();
    await waitFor(
      async () => stats !== undefined && stats.runningSec < 30 && Math.abs(stats.position - (stored = await position())) < 1e-9,
      30_000,
      () => `the restarted quoter reporting the stored position (${stored}; it reports ${stats?.position})`,
    );
  }, 400_000);
});
