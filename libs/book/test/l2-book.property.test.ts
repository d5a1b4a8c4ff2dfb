import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BookError, L2Book, type BookSide, type Level } from '../src/index.js';

/** The obviously-correct reference: a Map per side, sorted on every read. */
class ModelBook {
  bids = new Map<number, number>();
  asks = new Map<number, number>();

  snapshot(bids: readonly Level[], asks: readonly Level[]): void {
    this.bids.clear();
    this.asks.clear();
    this.apply(this.bids, bids);
    this.apply(this.asks, asks);
  }

  apply(side: Map<number, number>, levels: readonly Level[]): void {
    for (const [price, size] of levels) {
      if (size === 0) side.delete(price);
      else side.set(price, size);
    }
  }

  sorted(side: BookSide): [number, number][] {
    const entries = [...(side === 'bid' ? this.bids : this.asks).entries()];
    return entries.sort((a, b) => (side === 'bid' ? b[0] - a[0] : a[0] - b[0]));
  }

  /** vwap from prefix sums: a different computation from the book's walk. */
  vwap(side: BookSide, size: number): { total: number; value: number | null } {
    const levels = this.sorted(side);
    const total = levels.reduce((acc, [, s]) => acc + s, 0);
    let taken = 0;
    let cost = 0;
    for (const [price, s] of levels) {
      const take = Math.min(s, size - taken);
      if (take <= 0) break;
      cost += take * price;
      taken += take;
    }
    return { total, value: taken > 0 ? cost / taken : null };
  }

  depthToNotional(side: BookSide, notional: number): number {
    let size = 0;
    let left = notional;
    for (const [price, s] of this.sorted(side)) {
      if (price * s >= left) return size + left / price;
      left -= price * s;
      size += s;
    }
    return size;
  }
}

const gridPrice = fc.integer({ min: 1, max: 400 }).map((t) => t * 0.25);
const anyPrice = fc.double({ min: 1e-6, max: 1e7, noNaN: true, noDefaultInfinity: true }).filter((p) => p > 0);
const price = fc.oneof({ weight: 4, arbitrary: gridPrice }, { weight: 1, arbitrary: anyPrice });
const size = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.double({ min: 1e-6, max: 1e4, noNaN: true, noDefaultInfinity: true }) },
);
const level: fc.Arbitrary<Level> = fc.tuple(price, size);
const levels = fc.array(level, { maxLength: 40 });
const side = fc.constantFrom<BookSide>('bid', 'ask');
const badValue = fc.constantFrom(Number.NaN, Infinity, -Infinity, -1, -1e-9);

type Op =
  | { kind: 'snapshot'; bids: Level[]; asks: Level[] }
  | { kind: 'delta'; side: BookSide; levels: Level[] }
  | { kind: 'both'; bids: Level[]; asks: Level[] }
  | { kind: 'bad'; side: BookSide; levels: Level[]; at: number; field: 0 | 1; value: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const), bids: levels, asks: levels }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('delta' as const), side, levels }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('both' as const), bids: levels, asks: levels }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('bad' as const),
      side,
      levels: fc.array(level, { minLength: 1, maxLength: 10 }),
      at: fc.nat(),
      field: fc.constantFrom(0 as const, 1 as const),
      value: badValue,
    }),
  },
);

const all = (book: L2Book) => book.topN(book.levelCount);

function checkInvariants(book: L2Book): void {
  const { bids, asks } = all(book);
  expect(bids.length).toBe(book.bidCount);
  expect(asks.length).toBe(book.askCount);
  for (let i = 1; i < bids.length; i++) expect(bids[i]![0]).toBeLessThan(bids[i - 1]![0]);
  for (let i = 1; i < asks.length; i++) expect(asks[i]![0]).toBeGreaterThan(asks[i - 1]![0]);
  for (const [, s] of [...bids, ...asks]) expect(s).toBeGreaterThan(0);
  const bb = book.bestBid();
  const ba = book.bestAsk();
  if (bb && ba) {
    expect(bb[0] < ba[0] || book.isCrossed()).toBe(true);
    expect(book.isCrossed()).toBe(bb[0] >= ba[0]);
    expect(book.spread()).toBe(ba[0] - bb[0]);
    expect(book.mid()).toBe((ba[0] + bb[0]) / 2);
  } else {
    expect(book.isCrossed()).toBe(false);
    expect(book.mid()).toBeNull();
  }
}

function close(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

describe('L2Book against a Map model (properties)', () => {
  it('equals the model after any snapshot and deltas, keeps its invariants, and survives rejected updates', () => {
    fc.assert(
      fc.property(levels, levels, fc.array(op, { maxLength: 40 }), (bids0, asks0, ops) => {
        const book = new L2Book();
        const model = new ModelBook();
        book.applySnapshot(bids0, asks0);
        model.snapshot(bids0, asks0);
        for (const o of ops) {
          if (o.kind === 'snapshot') {
            book.applySnapshot(o.bids, o.asks);
            model.snapshot(o.bids, o.asks);
          } else if (o.kind === 'delta') {
            book.applyDelta(o.side, o.levels);
            model.apply(o.side === 'bid' ? model.bids : model.asks, o.levels);
          } else if (o.kind === 'both') {
            book.applyDelta({ bids: o.bids, asks: o.asks });
            model.apply(model.bids, o.bids);
            model.apply(model.asks, o.asks);
          } else {
            const corrupted = o.levels.map((l) => [l[0], l[1]] as [number, number]);
            const target = corrupted[o.at % corrupted.length]!;
            target[o.field] = o.field === 0 && o.value === -1e-9 ? 0 : o.value;
            const before = all(book);
            expect(() => book.applyDelta(o.side, corrupted)).toThrow(BookError);
            expect(() => book.applySnapshot(corrupted, [])).toThrow(BookError);
            expect(all(book)).toEqual(before);
          }
          checkInvariants(book);
        }
        expect(all(book)).toEqual({ bids: model.sorted('bid'), asks: model.sorted('ask') });
        // The size at a price, found by search, is the model's (0 where no level is), for every price the run touched.
        const probes = [...bids0, ...asks0, ...ops.flatMap((o) => ('levels' in o ? o.levels : [...o.bids, ...o.asks]))].map((l) => l[0]);
        for (const p of probes) {
          expect(book.sizeAtPrice('bid', p)).toBe(model.bids.get(p) ?? 0);
          expect(book.sizeAtPrice('ask', p)).toBe(model.asks.get(p) ?? 0);
        }
        // Rebuilding from a snapshot of the model, given in any order, gives the same book.
        const rebuilt = new L2Book();
        rebuilt.applySnapshot([...model.bids.entries()], [...model.asks.entries()]);
        expect(all(rebuilt)).toEqual(all(book));
      }),
      { numRuns: 300 },
    );
  });

  it('after any valid snapshot and deltas, equals a book rebuilt from one snapshot of it (what a resync produces)', () => {
    fc.assert(
      fc.property(levels, levels, fc.array(fc.record({ bids: levels, asks: levels }), { maxLength: 40 }), (bids0, asks0, deltas) => {
        const streamed = new L2Book();
        streamed.applySnapshot(bids0, asks0);
        for (const d of deltas) streamed.applyDelta(d);
        const rebuilt = new L2Book();
        const snap = all(streamed);
        rebuilt.applySnapshot(snap.bids, snap.asks);
        expect(all(rebuilt)).toEqual(snap);
        expect(rebuilt.isCrossed()).toBe(streamed.isCrossed());
        checkInvariants(streamed);
      }),
    );
  });

  it('topNShared equals topN after any changes, and hands back the last array itself for a side whose top did not change', () => {
    fc.assert(
      fc.property(levels, levels, fc.array(op, { maxLength: 40 }), fc.integer({ min: 0, max: 12 }), (bids0, asks0, ops, n0) => {
        const book = new L2Book();
        book.applySnapshot(bids0, asks0);
        let n = n0;
        let last = book.topNShared(n);
        expect(last).toEqual(book.topN(n));
        for (const o of ops) {
          const n0 = n;
          if (o.kind === 'snapshot') book.applySnapshot(o.bids, o.asks);
          else if (o.kind === 'delta') book.applyDelta(o.side, o.levels);
          else if (o.kind === 'both') book.applyDelta({ bids: o.bids, asks: o.asks });
          else if (o.at % 3 === 0) n = (n + o.at) % 13; // now and then another depth: nothing is shared across depths
          const next = book.topNShared(n);
          expect(next).toEqual(book.topN(n));
          // A side no update touched is shared as it is, at the same depth.
          if (n === n0 && (o.kind === 'bad' || (o.kind === 'delta' && o.side === 'ask'))) expect(next.bids).toBe(last.bids);
          if (n === n0 && (o.kind === 'bad' || (o.kind === 'delta' && o.side === 'bid'))) expect(next.asks).toBe(last.asks);
          last = next;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('loads a snapshot the same whatever its order', () => {
    fc.assert(
      fc.property(levels, fc.boolean(), (ls, reverse) => {
        const model = new ModelBook();
        model.snapshot(ls, []);
        const distinct = model.sorted('bid'); // best first, no duplicates
        const given = reverse ? [...distinct].reverse() : distinct;
        const book = new L2Book();
        book.applySnapshot(given, given.map(([p, s]) => [p * 2, s] as Level)); // doubling keeps prices distinct
        expect(all(book).bids).toEqual(distinct);
        expect(book.askCount).toBe(distinct.length);
        const direct = new L2Book();
        direct.applySnapshot(ls, []);
        expect(all(direct).bids).toEqual(distinct);
      }),
    );
  });

  it('matches the model on vwap and depth-to-notional', () => {
    fc.assert(
      fc.property(
        levels,
        levels,
        side,
        fc.double({ min: 1e-6, max: 5e4, noNaN: true, noDefaultInfinity: true }),
        fc.double({ min: 0, max: 1e8, noNaN: true, noDefaultInfinity: true }),
        (bids, asks, s, qty, notional) => {
          const book = new L2Book();
          const model = new ModelBook();
          book.applySnapshot(bids, asks);
          model.snapshot(bids, asks);
          const { total, value } = model.vwap(s, qty);
          const got = book.vwapForSize(s, qty);
          if (qty > total * (1 + 1e-9)) expect(got).toBeNull();
          else if (qty < total * (1 - 1e-9)) {
            expect(got).not.toBeNull();
            close(got!, value!);
          } else if (got !== null) close(got, value!); // at the very edge either answer is fine
          const depth = book.depthToNotional(s, notional);
          close(depth, model.depthToNotional(s, notional));
          expect(depth).toBeLessThanOrEqual(total * (1 + 1e-12));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('equals the model on deep books, where updates far from the top move many levels', () => {
    const tick = fc.integer({ min: 1, max: 2000 });
    fc.assert(
      fc.property(
        fc.uniqueArray(tick, { minLength: 50, maxLength: 600 }),
        fc.array(fc.tuple(side, tick, fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 }))), { maxLength: 200 }),
        (ticks, deltas) => {
          const snap = ticks.map((t) => [t / 4, t % 7 + 1] as Level);
          const book = new L2Book();
          const model = new ModelBook();
          book.applySnapshot(snap, snap);
          model.snapshot(snap, snap);
          for (const [s, t, sz] of deltas) {
            book.applyDelta(s, [[t / 4, sz]]);
            model.apply(s === 'bid' ? model.bids : model.asks, [[t / 4, sz]]);
          }
          expect(all(book)).toEqual({ bids: model.sorted('bid'), asks: model.sorted('ask') });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a contiguous book applies exactly the deltas the model would, in order', () => {
    fc.assert(
      fc.property(fc.nat(100), fc.array(fc.tuple(fc.nat(130), level), { maxLength: 50 }), (start, deltas) => {
        const book = new L2Book({ requireContiguous: true });
        const model = new ModelBook();
        book.applySnapshot([], [], start);
        let last = start;
        for (const [seq, l] of deltas) {
          const verdict = book.applyDelta('bid', [l], seq);
          const expected = seq === last + 1 ? 'ok' : seq <= last ? 'stale' : 'gap';
          expect(verdict).toBe(expected);
          if (expected === 'ok') {
            model.apply(model.bids, [l]);
            last = seq;
          }
          expect(book.seq).toBe(last);
        }
        expect(all(book).bids).toEqual(model.sorted('bid'));
      }),
    );
  });
});

describe('applyLevel: the one-level fast path', () => {
  it('gives the same book as applyDelta with that one level, for any stream, and refuses a bad level without a write', () => {
    fc.assert(
      fc.property(levels, levels, fc.array(fc.tuple(side, level), { maxLength: 80 }), fc.tuple(side, level, fc.constantFrom(0 as const, 1 as const), badValue), (bids0, asks0, steps, [badSide, badLevel, field, value]) => {
        const fast = new L2Book();
        const general = new L2Book();
        fast.applySnapshot(bids0, asks0);
        general.applySnapshot(bids0, asks0);
        for (const [s, l] of steps) {
          expect(fast.applyLevel(s, l[0], l[1])).toBe('ok');
          general.applyDelta(s, [l]);
          checkInvariants(fast);
        }
        expect(all(fast)).toEqual(all(general));
        const before = all(fast);
        const corrupted: [number, number] = [badLevel[0], badLevel[1]];
        corrupted[field] = field === 0 && value === -1e-9 ? 0 : value;
        expect(() => fast.applyLevel(badSide, corrupted[0], corrupted[1])).toThrow(BookError);
        expect(() => fast.applyLevel('mid' as BookSide, 1, 1)).toThrow(BookError);
        expect(all(fast)).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the sequence rules of a contiguous book', () => {
    const book = new L2Book({ requireContiguous: true });
    book.applySnapshot([[100, 1]], [[101, 1]], 10);
    expect(book.applyLevel('bid', 100, 2, 11)).toBe('ok');
    expect(book.applyLevel('bid', 100, 3, 13)).toBe('gap');
    expect(book.bestBid()).toEqual([100, 2]);
    expect(book.seq).toBe(11);
    expect(() => book.applyLevel('ask', 101, 2)).toThrow(/needs a seq/);
  });
});
