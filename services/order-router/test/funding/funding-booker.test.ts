import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { FundingPayment, SimulatedClock, patterns, type FundingPayment as Payment } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateBackend, MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { waitUntil } from '@perpetua/testkit';
import { FundingBooker } from '../../src/funding/funding-booker.js';

/** The booker's rules against the memory store and bus, with a venue that answers from a list (and fails on demand). */

const logger = createLogger({ service: 'funding-booker-test', level: 'silent' });
const VENUE = 'v1';
const ACCOUNT = 'a1';
const T0 = 1_700_000_000_000;

class ListedVenue {
  readonly venue = VENUE;
  readonly account = ACCOUNT;
  readonly payments: Payment[] = [];
  readonly asked: number[] = [];
  failNext = 0;
  async fundingPayments(sinceMs: number): Promise<Payment[]> {
    this.asked.push(sinceMs);
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('venue unavailable');
    }
    return this.payments.filter((p) => p.tsExchange >= sinceMs);
  }
}

const pay = (id: string, symbol: string, amount: string, ts: number): Payment => ({ paymentId: id, venue: VENUE, account: ACCOUNT, symbol, amount, tsExchange: ts });

function setup(backend = new MemoryStateBackend(), venue = new ListedVenue(), registry = new Registry()) {
  const clock = new SimulatedClock(T0);
  const bus = new InProcessBus();
  const store = new MemoryStateStore(backend);
  const published: Payment[] = [];
  bus.subscribe(patterns.allFunding, FundingPayment, (p) => void published.push(p));
  const booker = new FundingBooker({ adapter: venue, store, bus, clock, logger, registry, options: { intervalMs: 1_000, lookbackMs: 10_000, marginMs: 2_000 } });
  return { clock, bus, store, booker, venue, published, registry, backend };
}

async function booked(registry: Registry): Promise<number> {
  return (await registry.getSingleMetric('perpetua_router_funding_payments_booked_total')!.get()).values.reduce((s, v) => s + v.value, 0);
}

describe('funding booker', () => {
  it('books each payment once per position, in the store sign, and moves the watermark to the newest', async () => {
    const s = setup();
    s.venue.payments.push(pay('p1', 'BTC-PERP', '0.5', T0 - 5_000), pay('p2', 'ETH-PERP', '-0.25', T0 - 4_000), pay('old', 'BTC-PERP', '9', T0 - 60_000));
    expect(await s.booker.poll()).toBe(2); // the old one is before the lookback
    expect(s.venue.asked).toEqual([T0 - 10_000]);
    expect((await s.store.getPosition(VENUE, ACCOUNT, 'BTC-PERP'))!.funding).toBe('0.5');
    expect((await s.store.getPosition(VENUE, ACCOUNT, 'ETH-PERP'))!.funding).toBe('-0.25');
    expect(await s.store.getFundingWatermark(VENUE, ACCOUNT)).toBe(T0 - 4_000);
    // Asked again from the watermark less the margin: the same payments, booked nothing twice.
    expect(await s.booker.poll()).toBe(0);
    expect(s.venue.asked[1]).toBe(T0 - 6_000);
    expect((await s.store.getPosition(VENUE, ACCOUNT, 'BTC-PERP'))!.funding).toBe('0.5');
    await waitUntil(() => s.published.length === 2, 2_000, 'two booked payments published');
    expect(s.published.map((p) => p.paymentId).sort()).toEqual(['p1', 'p2']);
    expect(await booked(s.registry)).toBe(2);
    await s.bus.close();
  });

  it('a restarted booker on the same store neither loses nor doubles a payment', async () => {
    const backend = new MemoryStateBackend();
    const venue = new ListedVenue();
    venue.payments.push(pay('p1', 'BTC-PERP', '1', T0 - 1_000));
    const a = setup(backend, venue);
    await a.booker.start();
    await a.booker.stop();
    venue.payments.push(pay('p2', 'BTC-PERP', '2', T0 + 500)); // settled while no booker ran
    const b = setup(backend, venue);
    b.clock.advanceTo(T0 + 3_000);
    expect(await b.booker.poll()).toBe(1);
    expect((await b.store.getPosition(VENUE, ACCOUNT, 'BTC-PERP'))!.funding).toBe('3');
    await a.bus.close();
    await b.bus.close();
  });

  it('a failed poll keeps the watermark, and the next one books what was missed', async () => {
    const s = setup();
    s.venue.payments.push(pay('p1', 'BTC-PERP', '1', T0 - 1_000));
    await s.booker.poll();
    s.venue.payments.push(pay('p2', 'BTC-PERP', '1', T0 + 1_000));
    s.venue.failNext = 1;
    expect(await s.booker.poll()).toBe(0);
    expect(await s.store.getFundingWatermark(VENUE, ACCOUNT)).toBe(T0 - 1_000);
    expect(await s.booker.poll()).toBe(1);
    expect((await s.store.getPosition(VENUE, ACCOUNT, 'BTC-PERP'))!.funding).toBe('2');
    expect((await s.registry.getSingleMetric('perpetua_router_funding_poll_errors_total')!.get()).values[0]!.value).toBe(1);
    await s.bus.close();
  });

  it('polls on the injected clock, and a poll asked for during one runs once more after it', async () => {
    const s = setup();
    await s.booker.start();
    expect(s.venue.asked).toHaveLength(1);
    for (const t of s.clock.advanceTo(T0 + 3_000)) {
      const before = s.venue.asked.length;
      t.fire();
      await waitUntil(() => s.venue.asked.length === before + 1, 2_000, `the poll of the timer due at ${t.ts}`);
    }
    expect(s.venue.asked).toHaveLength(4);
    s.venue.payments.push(pay('p1', 'BTC-PERP', '1', T0 + 2_500));
    const [x, y] = [s.booker.poll(), s.booker.poll()];
    expect(await x).toBe(1);
    expect(await y).toBe(1); // the same run: the second call made it poll again, and that pass booked nothing new
    expect(s.venue.asked).toHaveLength(6);
    await s.booker.stop();
    for (const t of s.clock.advanceTo(T0 + 10_000)) t.fire();
    expect(s.venue.asked).toHaveLength(6);
    await s.bus.close();
  });

  it("ignores a payment of another venue account", async () => {
    const s = setup();
    s.venue.payments.push({ ...pay('x', 'BTC-PERP', '1', T0), account: 'someone-else' });
    expect(await s.booker.poll()).toBe(0);
    expect(await s.store.listPositions()).toEqual([]);
    await s.bus.close();
  });
});
