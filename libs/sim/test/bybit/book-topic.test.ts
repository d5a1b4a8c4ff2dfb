import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SimBookSnapshot, SimLevel } from '../../src/engine/types.js';
import { BookTopic } from '../../src/facades/bybit/book-topic.js';

/** A book side from distinct ticks (tick size 0.1), best first; sizes as text. */
const side = (levels: Array<[number, number]>, dir: 1 | -1): SimLevel[] => {
  const byTick = new Map(levels);
  return [...byTick.keys()].sort((a, b) => dir * (a - b)).map((t): SimLevel => [(t / 10).toString(), String(byTick.get(t)!)]);
};
const level = fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 9 }));
const book = fc
  .record({ bids: fc.array(level, { maxLength: 12 }), asks: fc.array(level, { maxLength: 12 }) })
  .map(({ bids, asks }): Omit<SimBookSnapshot, 'lastUpdateId'> => ({
    symbol: 'BTC-PERP',
    // Bids below 100.0, asks from 100.0 up: never crossed, as an engine book.
    bids: side(bids.map(([t, q]) => [1000 - t, q]), -1),
    asks: side(asks.map(([t, q]) => [1000 + t, q]), 1),
    ts: 0,
  }));

/** Applies a Bybit orderbook delta to a client's copy (size "0" deletes). */
function apply(state: Map<string, string>, levels: Array<[string, string]>): void {
  for (const [p, q] of levels) {
    if (q === '0') state.delete(p);
    else state.set(p, q);
  }
}

describe('Bybit BookTopic', () => {
  it('snapshot + deltas rebuild every book exactly, deltas best first, u counting frames', () => {
    fc.assert(
      fc.property(book, fc.array(book, { minLength: 1, maxLength: 20 }), (first, rest) => {
        const topic = new BookTopic('BTCUSDT', 50);
        const snap = topic.reset({ ...first, lastUpdateId: 1 });
        const bids = new Map(snap.b);
        const asks = new Map(snap.a);
        let u = snap.u;
        rest.forEach((b, i) => {
          const delta = topic.advance({ ...b, lastUpdateId: i + 2 });
          if (delta) {
            expect(delta.u).toBe(++u);
            expect(delta.seq).toBe(i + 2);
            const prices = (ls: Array<[string, string]>) => ls.map(([p]) => Number(p));
            expect(prices(delta.b)).toEqual([...prices(delta.b)].sort((x, y) => y - x));
            expect(prices(delta.a)).toEqual([...prices(delta.a)].sort((x, y) => x - y));
            apply(bids, delta.b);
            apply(asks, delta.a);
          }
          expect([...bids].sort((x, y) => Number(y[0]) - Number(x[0]))).toEqual(b.bids.map(([p, q]) => [p, q]));
          expect([...asks].sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual(b.asks.map(([p, q]) => [p, q]));
          // A new subscriber's snapshot is the state the next delta starts from.
          expect(topic.snapshot().b).toEqual(b.bids.map(([p, q]) => [p, q]));
        });
      }),
      { numRuns: 300 },
    );
  });
});
