import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { InProcessBus } from '@perpetua/bus';
import { QuoteIntent, SimulatedClock, subjects, traceTimeMs, type BookMessage, type Instrument } from '@perpetua/core';
import { StrategyParams } from '@perpetua/strategies';
import { QuoterService } from '../src/quoter-service.js';
import { TICK_TO_INTENT_BUCKETS } from '../src/quoter-metrics.js';

const INSTRUMENT: Instrument = { venue: 'sim', symbol: 'BTC-PERP', venueSymbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', contractSize: '1', makerFee: 0.0002, takerFee: 0.0005 };

function book(seq: number, mid: number, trace?: Record<string, number>): BookMessage {
  return { venue: 'sim', symbol: 'BTC-PERP', seq, bids: [[mid - 0.5, 1]], asks: [[mid + 0.5, 1]], tsExchange: 1_000, tsReceived: 1_000, tsPublished: 1_000, stale: false, ...(trace ? { trace } : {}) };
}

describe("the quoter's tick-to-intent histogram", () => {
  it('observes gw.hr → quoter.hr for each book-driven quote set, and nothing for a book without the stamp', async () => {
    const bus = new InProcessBus();
    const registry = new Registry();
    const intents: QuoteIntent[] = [];
    bus.subscribe(subjects.quoteIntent('mm'), QuoteIntent, (i) => void intents.push(i));
    const params = StrategyParams.parse({ kind: 'fixed-spread', spreadBps: 10, size: '0.01', order_refresh_tolerance_pct: 0.01, order_refresh_time: 0, max_order_age: 0 });
    const quoter = new QuoterService([{ id: 'mm', venue: 'sim', account: 'acct', symbol: 'BTC-PERP', params, maxPosition: '0.05' }], {
      bus, clock: new SimulatedClock(1_000), instruments: () => INSTRUMENT, logger: pino({ level: 'silent' }), registry, tickMs: 250,
    });
    await quoter.start();
    bus.publish(subjects.book('sim', 'BTC-PERP'), book(1, 100_000));
    await bus.flush();
    const stamped = traceTimeMs();
    bus.publish(subjects.book('sim', 'BTC-PERP'), book(2, 101_000, { venue: 1_000, 'gw.recv': 1_000, 'gw.hr': stamped }));
    await bus.flush();
    quoter.stop();
    await bus.close();

    expect(intents).toHaveLength(2);
    const last = intents[1]!.trace!;
    expect(last['quoter.hr']).toBeGreaterThanOrEqual(stamped);
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'perpetua_quoter_tick_to_intent_seconds')!;
    const count = (metric as unknown as { values: { metricName?: string; value: number }[] }).values.find((v) => v.metricName === 'perpetua_quoter_tick_to_intent_seconds_count')!;
    expect(count.value).toBe(1);
  });

  it('has buckets fine enough to tell a 20% change: each bound 1.25x the last, from 25 µs past one second', () => {
    expect(TICK_TO_INTENT_BUCKETS[0]).toBe(25e-6);
    expect(TICK_TO_INTENT_BUCKETS.at(-1)).toBeGreaterThan(1);
    for (let i = 1; i < TICK_TO_INTENT_BUCKETS.length; i++) expect(Math.abs(TICK_TO_INTENT_BUCKETS[i]! / TICK_TO_INTENT_BUCKETS[i - 1]! - 1.25)).toBeLessThan(0.01);
  });
});
