import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ArbOpportunityMessage, BookMessage } from '@perpetua/core';
import { ArbDetector, type ArbDetectorConfig, type PriceLevel } from '../src/index.js';

const config: ArbDetectorConfig = { threshold: 0.001, takerFees: { a: 0.0005, b: 0.0002 }, defaultTakerFee: 0.001, maxQty: { 'BTC-PERP': 2 }, defaultMaxQty: 10, depth: 5 };

let seq = 0;
function book(venue: string, bids: PriceLevel[], asks: PriceLevel[], extra: Partial<BookMessage> = {}): BookMessage {
  return { venue, symbol: 'BTC-PERP', seq: ++seq, bids: bids.map(([p, s]) => [p, s]), asks: asks.map(([p, s]) => [p, s]), tsExchange: 10 * seq, tsReceived: 10 * seq + 1, tsPublished: 10 * seq + 2, stale: false, ...extra };
}

describe('ArbDetector', () => {
  it('opens buy-low/sell-high with per-venue fees on both legs, capped by the symbol max qty', () => {
    const d = new ArbDetector(config);
    expect(d.onBook(book('a', [[99.9, 5]], [[100, 5]]), 1_000)).toEqual([]);
    const b = book('b', [[100.5, 5]], [[100.6, 5]]);
    const [e, ...rest] = d.onBook(b, 1_001);
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ event: 'opened', buyVenue: 'a', sellVenue: 'b', buyPrice: 100, sellPrice: 100.5, qty: 2, triggerVenue: 'b', triggerSeq: b.seq, tsExchange: b.tsExchange, tsReceived: b.tsReceived });
    // buy fee is a's, sell fee is b's
    expect(e!.netEdge).toBeCloseTo((100.5 * (1 - 0.0002) - 100 * 1.0005) / (100 * 1.0005), 12);
    expect(e!.netProfit).toBeCloseTo(2 * (100.5 * (1 - 0.0002) - 100 * 1.0005), 10);
  });

  it('uses the default fee for a venue without one', () => {
    const d = new ArbDetector({ ...config, threshold: 0 });
    d.onBook(book('a', [[99.9, 5]], [[100, 5]]), 1_000);
    const [e] = d.onBook(book('z', [[100.5, 5]], [[100.6, 5]]), 1_001);
    expect(e!.netEdge).toBeCloseTo((100.5 * (1 - 0.001) - 100 * 1.0005) / (100 * 1.0005), 12);
  });

  it('updates on a change and closes when the gap goes, with duration and peak edge', () => {
    const d = new ArbDetector(config);
    d.onBook(book('a', [[99.9, 5]], [[100, 5]]), 1_000);
    d.onBook(book('b', [[100.5, 5]], [[100.6, 5]]), 1_000);
    expect(d.onBook(book('b', [[100.8, 5]], [[100.9, 5]]), 1_200)).toMatchObject([{ event: 'updated', sellPrice: 100.8 }]);
    expect(d.onBook(book('b', [[100.8, 5]], [[100.9, 5]]), 1_300)).toEqual([]); // same edge and qty: no event
    const closed = d.onBook(book('b', [[100.05, 5]], [[100.1, 5]]), 1_500);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ event: 'closed', reason: 'edge_gone', durationMs: 500, openedAt: 1_000 });
    expect(closed[0]!.peakEdge).toBeCloseTo((100.8 * (1 - 0.0002) - 100 * 1.0005) / (100 * 1.0005), 12);
    expect(d.openCount).toBe(0);
  });

  it('a book that turns stale closes its opportunities and opens none until it is fresh', () => {
    const d = new ArbDetector(config);
    d.onBook(book('a', [[99.9, 5]], [[100, 5]]), 1_000);
    d.onBook(book('b', [[100.5, 5]], [[100.6, 5]]), 1_000);
    expect(d.onBook(book('a', [[99.9, 5]], [[100, 5]], { stale: true }), 1_100)).toMatchObject([{ event: 'closed', reason: 'stale', buyVenue: 'a', triggerVenue: 'a' }]);
    expect(d.onBook(book('b', [[100.7, 5]], [[100.8, 5]]), 1_200)).toEqual([]);
    expect(d.onBook(book('a', [[99.9, 5]], [[100, 5]]), 1_300)).toMatchObject([{ event: 'opened', buyVenue: 'a', sellVenue: 'b' }]);
  });

  it('a book that stops updating ages out: the sweep closes it, and it opens nothing meanwhile', () => {
    const d = new ArbDetector({ ...config, maxBookAgeMs: 1_000 });
    d.onBook(book('a', [[99.9, 5]], [[100, 5]]), 1_000);
    d.onBook(book('b', [[100.5, 5]], [[100.6, 5]]), 1_500);
    expect(d.sweep(1_900)).toEqual([]);
    expect(d.sweep(2_100)).toMatchObject([{ event: 'closed', reason: 'stale', triggerVenue: 'a' }]);
    expect(d.stats(2_100).venues.a).toEqual({ symbols: 1, unusableSymbols: 1, updates: 1 });
    expect(d.onBook(book('b', [[100.7, 5]], [[100.8, 5]]), 2_200)).toEqual([]);
  });

  it('ignores a crossed book, and a crossed update closes what was open', () => {
    const d = new ArbDetector(config);
    d.onBook(book('b', [[100.5, 5]], [[100.6, 5]]), 1_000);
    // a is crossed (bid above its own ask): no opportunity from it, although its ask is below b's bid
    expect(d.onBook(book('a', [[100.2, 5]], [[100, 5]]), 1_000)).toEqual([]);
    d.onBook(book('a', [[99.9, 5]], [[100, 5]]), 1_100);
    expect(d.openCount).toBe(1);
    expect(d.onBook(book('a', [[100.2, 5]], [[100, 5]]), 1_200)).toMatchObject([{ event: 'closed', reason: 'crossed' }]);
  });

  it('a one-sided or out-of-order book closes too', () => {
    const d = new ArbDetector(config);
    d.onBook(book('b', [[100.5, 5]], [[100.6, 5]]), 1_000);
    d.onBook(book('a', [[99.9, 5]], [[100, 5]]), 1_000);
    expect(d.onBook(book('a', [[99.9, 5]], []), 1_100)).toMatchObject([{ event: 'closed', reason: 'missing' }]);
    d.onBook(book('a', [[99.9, 5]], [[100, 5]]), 1_200);
    const unsorted = book('a', [[99.9, 5]], [[100, 1], [99, 5]]);
    expect(d.onBook(unsorted, 1_300)).toMatchObject([{ event: 'closed', reason: 'invalid' }]);
    expect(d.stats(1_300).invalidBooks).toBe(1);
  });

  it('caps by balances when they are known and re-evaluates when they change', () => {
    const d = new ArbDetector({ ...config, takerFees: { a: 0, b: 0 }, threshold: 0 });
    d.onBook(book('a', [[99.9, 5]], [[100, 5]]), 1_000);
    d.onBook(book('b', [[101, 5]], [[101.1, 5]]), 1_000);
    expect(d.setQuoteBalance('a', 50, 1_100)).toMatchObject([{ event: 'updated', qty: 0.5 }]);
    expect(d.setBaseBalance('b', 'BTC-PERP', 0.2, 1_200)).toMatchObject([{ event: 'updated', qty: 0.2 }]);
    expect(d.setBaseBalance('b', 'BTC-PERP', undefined, 1_300)).toMatchObject([{ event: 'updated', qty: 0.5 }]);
  });

  it('evaluates only the pairs of the updated venue yet finds exactly what an all-pairs rescan finds (property)', () => {
    const venues = ['a', 'b', 'c', 'd', 'e'];
    const symbols = ['BTC-PERP', 'ETH-PERP'];
    const level = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true }));
    const update = fc.record({
      venue: fc.constantFrom(...venues),
      symbol: fc.constantFrom(...symbols),
      mid: fc.double({ min: 99, max: 101, noNaN: true }),
      halfSpread: fc.double({ min: 0.001, max: 0.2, noNaN: true }),
      bids: fc.array(level, { maxLength: 4 }),
      asks: fc.array(level, { maxLength: 4 }),
      stale: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      crossed: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    });
    type Update = typeof update extends fc.Arbitrary<infer T> ? T : never;
    const toBook = (u: Update, k: number): BookMessage => {
      let bid = u.mid - (u.crossed ? -u.halfSpread : u.halfSpread);
      let ask = u.mid + u.halfSpread;
      const bids = u.bids.map(([step, size]): [number, number] => [(bid -= step), size]);
      const asks = u.asks.map(([step, size]): [number, number] => [(ask += step), size]);
      return { venue: u.venue, symbol: u.symbol, seq: k, bids, asks, tsExchange: k, tsReceived: k, tsPublished: k, stale: u.stale };
    };
    const key = (e: ArbOpportunityMessage) => JSON.stringify(e);
    fc.assert(
      fc.property(fc.array(update, { minLength: 1, maxLength: 60 }), (updates) => {
        const cfg: ArbDetectorConfig = { ...config, threshold: 0.0005, takerFees: { a: 0, b: 0.0002, c: 0.0005 }, defaultTakerFee: 0.0001 };
        const incremental = new ArbDetector(cfg);
        const rescan = new ArbDetector({ ...cfg, evaluateAllPairs: true });
        updates.forEach((u, k) => {
          const b = toBook(u, k);
          const got = incremental.onBook(b, k).map(key).sort();
          const want = rescan.onBook(structuredClone(b), k).map(key).sort();
          expect(got).toEqual(want);
          expect([...incremental.openPairs()].map((p) => [p.symbol, p.buyVenue, p.sellVenue, p.open]).sort()).toEqual([...rescan.openPairs()].map((p) => [p.symbol, p.buyVenue, p.sellVenue, p.open]).sort());
        });
      }),
      { numRuns: 200 },
    );
  });
});
