import { describe, expect, it } from 'vitest';
import { BookError, L2Book, type Level } from '../src/index.js';

const all = (book: L2Book) => book.topN(book.levelCount);

function bookWith(bids: Level[], asks: Level[], seq?: number): L2Book {
  const book = new L2Book();
  book.applySnapshot(bids, asks, seq);
  return book;
}

describe('L2Book: empty', () => {
  it('answers every query without levels', () => {
    const book = new L2Book();
    expect(book.bestBid()).toBeNull();
    expect(book.bestAsk()).toBeNull();
    expect(book.mid()).toBeNull();
    expect(book.spread()).toBeNull();
    expect(book.isCrossed()).toBe(false);
    expect(book.levelCount).toBe(0);
    expect(book.bidCount).toBe(0);
    expect(book.askCount).toBe(0);
    expect(book.topN(10)).toEqual({ bids: [], asks: [] });
    expect(book.vwapForSize('ask', 1)).toBeNull();
    expect(book.depthToNotional('bid', 100)).toBe(0);
    expect(book.priceAt('bid', 0)).toBeUndefined();
    expect(book.seq).toBeUndefined();
  });

  it('is not crossed and has no mid with one side only', () => {
    const book = bookWith([[100, 1]], []);
    expect(book.bestBid()).toEqual([100, 1]);
    expect(book.mid()).toBeNull();
    expect(book.spread()).toBeNull();
    expect(book.isCrossed()).toBe(false);
  });
});

describe('L2Book: snapshots', () => {
  const expected = {
    bids: [
      [101, 1],
      [100, 2],
      [99, 3],
    ],
    asks: [
      [102, 4],
      [103, 5],
      [104, 6],
    ],
  };

  it('loads best-first input (the usual venue order)', () => {
    const book = bookWith(
      [
        [101, 1],
        [100, 2],
        [99, 3],
      ],
      [
        [102, 4],
        [103, 5],
        [104, 6],
      ],
      7,
    );
    expect(all(book)).toEqual(expected);
    expect(book.seq).toBe(7);
    expect(book.bidCount).toBe(3);
    expect(book.askCount).toBe(3);
    expect(book.levelCount).toBe(6);
  });

  it('loads worst-first and unsorted input to the same book', () => {
    const worstFirst = bookWith(
      [
        [99, 3],
        [100, 2],
        [101, 1],
      ],
      [
        [104, 6],
        [103, 5],
        [102, 4],
      ],
    );
    const shuffled = bookWith(
      [
        [100, 2],
        [99, 3],
        [101, 1],
      ],
      [
        [103, 5],
        [104, 6],
        [102, 4],
      ],
    );
    expect(all(worstFirst)).toEqual(expected);
    expect(all(shuffled)).toEqual(expected);
  });

  it('skips size-0 entries and lets the last entry for a repeated price win', () => {
    const book = bookWith(
      [
        [101, 1],
        [100, 0],
        [99, 3],
        [101, 9],
      ],
      [
        [102, 4],
        [102, 0],
        [103, 5],
      ],
    );
    expect(all(book)).toEqual({
      bids: [
        [101, 9],
        [99, 3],
      ],
      asks: [[103, 5]],
    });
  });

  it('replaces the previous book entirely', () => {
    const book = bookWith([[100, 1]], [[101, 1]], 1);
    book.applySnapshot([[90, 2]], [], 2);
    expect(all(book)).toEqual({ bids: [[90, 2]], asks: [] });
    expect(book.seq).toBe(2);
    book.applySnapshot([], []);
    expect(book.levelCount).toBe(0);
    expect(book.seq).toBeUndefined();
  });

  it('does not share arrays with its input or its output', () => {
    const bids: [number, number][] = [[100, 1]];
    const book = bookWith(bids, []);
    bids[0]![1] = 42;
    expect(book.bestBid()).toEqual([100, 1]);
    const out = book.topN(1);
    out.bids[0]![1] = 7;
    expect(book.bestBid()).toEqual([100, 1]);
  });
});

describe('L2Book: deltas', () => {
  const base = (): L2Book =>
    bookWith(
      [
        [100, 1],
        [99, 2],
      ],
      [
        [101, 1],
        [102, 2],
      ],
    );

  it('inserts a new best, a middle level and a worst level', () => {
    const book = base();
    book.applyDelta('bid', [
      [100.5, 3],
      [99.5, 4],
      [90, 5],
    ]);
    expect(all(book).bids).toEqual([
      [100.5, 3],
      [100, 1],
      [99.5, 4],
      [99, 2],
      [90, 5],
    ]);
    book.applyDelta('ask', [
      [100.75, 1],
      [101.5, 1],
      [200, 1],
    ]);
    expect(all(book).asks).toEqual([
      [100.75, 1],
      [101, 1],
      [101.5, 1],
      [102, 2],
      [200, 1],
    ]);
  });

  it('updates sizes in place (absolute, not additive)', () => {
    const book = base();
    book.applyDelta('bid', [[99, 7]]);
    book.applyDelta('ask', [[101, 0.5]]);
    expect(all(book)).toEqual({
      bids: [
        [100, 1],
        [99, 7],
      ],
      asks: [
        [101, 0.5],
        [102, 2],
      ],
    });
  });

  it('deletes on size 0, and ignores deletes of absent levels', () => {
    const book = base();
    book.applyDelta('bid', [
      [100, 0],
      [98, 0],
    ]);
    book.applyDelta('ask', [[102, 0]]);
    expect(all(book)).toEqual({ bids: [[99, 2]], asks: [[101, 1]] });
    book.applyDelta('bid', [[99, 0]]);
    expect(book.bidCount).toBe(0);
    book.applyDelta('bid', [[99, 0]]);
    expect(book.bidCount).toBe(0);
  });

  it('applies several updates of one price in order', () => {
    const book = base();
    book.applyDelta('bid', [
      [98, 1],
      [98, 0],
      [98, 3],
    ]);
    expect(book.sizeAt('bid', 2)).toBe(3);
  });

  it('applies both sides at once and records the seq', () => {
    const book = base();
    expect(book.applyDelta({ bids: [[100, 0]], asks: [[100.5, 1]] }, 12)).toBe('ok');
    expect(book.bestBid()).toEqual([99, 2]);
    expect(book.bestAsk()).toEqual([100.5, 1]);
    expect(book.seq).toBe(12);
    expect(book.applyDelta({ asks: [[100.5, 0]] })).toBe('ok');
    expect(book.bestAsk()).toEqual([101, 1]);
    expect(book.seq).toBe(12);
  });

  it('grows far beyond its initial capacity, in any insertion order', () => {
    const book = new L2Book();
    const prices = Array.from({ length: 5000 }, (_, i) => 1 + i);
    // A fixed shuffle so inserts land everywhere.
    for (let i = prices.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [prices[i], prices[j]] = [prices[j]!, prices[i]!];
    }
    for (const p of prices) book.applyDelta('bid', [[p, p]]);
    for (const p of prices) book.applyDelta('ask', [[10_000 + p, p]]);
    expect(book.bidCount).toBe(5000);
    expect(book.askCount).toBe(5000);
    const { bids, asks } = all(book);
    expect(bids[0]).toEqual([5000, 5000]);
    expect(bids[4999]).toEqual([1, 1]);
    expect(asks[0]).toEqual([10_001, 1]);
    for (let i = 1; i < 5000; i++) {
      expect(bids[i]![0]).toBeLessThan(bids[i - 1]![0]);
      expect(asks[i]![0]).toBeGreaterThan(asks[i - 1]![0]);
    }
    // Delete every other level from deep and shallow ends alike.
    for (let p = 1; p <= 5000; p += 2) book.applyDelta('bid', [[p, 0]]);
    expect(book.bidCount).toBe(2500);
    expect(all(book).bids).toEqual(Array.from({ length: 2500 }, (_, i) => [5000 - 2 * i, 5000 - 2 * i]));
    // And from the top down.
    for (let p = 10_001; p <= 15_000; p += 2) book.applyDelta('ask', [[p, 0]]);
    expect(all(book).asks).toEqual(Array.from({ length: 2500 }, (_, i) => [10_002 + 2 * i, 2 + 2 * i]));
  });

  it('clears everything, including the seq', () => {
    const book = bookWith([[1, 1]], [[2, 1]], 3);
    book.clear();
    expect(book.levelCount).toBe(0);
    expect(book.seq).toBeUndefined();
    book.applyDelta('ask', [[5, 1]]);
    expect(book.bestAsk()).toEqual([5, 1]);
  });
});

describe('L2Book: queries', () => {
  const book = bookWith(
    [
      [100, 1],
      [99, 2],
      [98, 3],
    ],
    [
      [101, 1],
      [102, 2],
      [103, 3],
    ],
  );

  it('reports best levels, mid and spread', () => {
    expect(book.bestBid()).toEqual([100, 1]);
    expect(book.bestAsk()).toEqual([101, 1]);
    expect(book.mid()).toBe(100.5);
    expect(book.spread()).toBe(1);
    expect(book.isCrossed()).toBe(false);
  });

  it('reads single levels without allocating', () => {
    expect(book.priceAt('bid', 0)).toBe(100);
    expect(book.sizeAt('bid', 2)).toBe(3);
    expect(book.priceAt('ask', 2)).toBe(103);
    expect(book.priceAt('ask', 3)).toBeUndefined();
    expect(book.sizeAt('ask', -1)).toBeUndefined();
  });

  it('returns the top n levels per side', () => {
    expect(book.topN(2)).toEqual({
      bids: [
        [100, 1],
        [99, 2],
      ],
      asks: [
        [101, 1],
        [102, 2],
      ],
    });
    expect(book.topN(0)).toEqual({ bids: [], asks: [] });
    expect(book.topN(50).bids).toHaveLength(3);
    expect(() => book.topN(-1)).toThrow(BookError);
    expect(() => book.topN(1.5)).toThrow(BookError);
  });

  it('computes the vwap to take a size, walking levels', () => {
    expect(book.vwapForSize('ask', 0.5)).toBe(101);
    expect(book.vwapForSize('ask', 1)).toBe(101);
    expect(book.vwapForSize('ask', 2)).toBe((101 + 102) / 2);
    expect(book.vwapForSize('ask', 6)).toBeCloseTo((101 + 2 * 102 + 3 * 103) / 6, 12);
    expect(book.vwapForSize('bid', 4)).toBeCloseTo((100 + 2 * 99 + 98) / 4, 12);
    expect(book.vwapForSize('ask', 6.000001)).toBeNull();
    expect(book.vwapForSize('bid', 100)).toBeNull();
  });

  it('counts a size equal to the whole side as filled despite float sums', () => {
    const thin = bookWith(
      [
        [10, 0.1],
        [9, 0.2],
      ],
      [],
    );
    expect(thin.vwapForSize('bid', 0.1 + 0.2)).toBeCloseTo((10 * 0.1 + 9 * 0.2) / 0.3, 12);
  });

  it('rejects a vwap size that is not positive and finite', () => {
    for (const bad of [0, -1, Number.NaN, Infinity]) expect(() => book.vwapForSize('ask', bad)).toThrow(BookError);
    expect(() => book.vwapForSize('mid' as 'bid', 1)).toThrow(/side must be/);
  });

  it('computes the size available up to a notional', () => {
    expect(book.depthToNotional('ask', 0)).toBe(0);
    expect(book.depthToNotional('ask', 50.5)).toBe(0.5);
    expect(book.depthToNotional('ask', 101)).toBe(1);
    expect(book.depthToNotional('ask', 101 + 102)).toBe(2);
    expect(book.depthToNotional('ask', 101 + 204 + 103)).toBe(4);
    expect(book.depthToNotional('bid', 100 + 198 + 49)).toBe(3.5);
    // More than the side holds: everything it has.
    expect(book.depthToNotional('bid', 1e9)).toBe(6);
    for (const bad of [-1, Number.NaN, Infinity]) expect(() => book.depthToNotional('bid', bad)).toThrow(BookError);
  });

  it('reports a crossed or locked book', () => {
    const locked = bookWith([[100, 1]], [[100, 1]]);
    expect(locked.isCrossed()).toBe(true);
    expect(locked.spread()).toBe(0);
    const crossed = bookWith([[101, 1]], [[100, 1]]);
    expect(crossed.isCrossed()).toBe(true);
    expect(crossed.spread()).toBe(-1);
  });
});

describe('L2Book: rejects bad input and stays unchanged', () => {
  const bad: [string, Level][] = [
    ['NaN price', [Number.NaN, 1]],
    ['infinite price', [Infinity, 1]],
    ['negative price', [-1, 1]],
    ['zero price', [0, 1]],
    ['NaN size', [100, Number.NaN]],
    ['infinite size', [100, Infinity]],
    ['negative size', [100, -0.5]],
    ['string price', ['100' as unknown as number, 1]],
  ];

  const base = (): L2Book =>
    bookWith(
      [
        [100, 1],
        [99, 2],
      ],
      [[101, 1]],
      5,
    );

  for (const [name, level] of bad) {
    it(`rejects a ${name} in a delta batch, even after good levels`, () => {
      const book = base();
      const before = all(book);
      expect(() => book.applyDelta('bid', [[100, 0], [98, 1], level], 6)).toThrow(BookError);
      expect(all(book)).toEqual(before);
      expect(book.seq).toBe(5);
    });

    it(`rejects a ${name} in a snapshot`, () => {
      const book = base();
      const before = all(book);
      expect(() => book.applySnapshot([[1, 1]], [[2, 1], level], 9)).toThrow(BookError);
      expect(all(book)).toEqual(before);
      expect(book.seq).toBe(5);
    });
  }

  it('rejects a bad ask in a two-sided delta without applying the bids', () => {
    const book = base();
    const before = all(book);
    expect(() => book.applyDelta({ bids: [[100, 0]], asks: [[101, -1]] })).toThrow(BookError);
    expect(all(book)).toEqual(before);
  });

  it('names the side, the index and the bad value', () => {
    const book = base();
    expect(() => book.applyDelta('ask', [[101, 1], [Number.NaN, 1]])).toThrow('ask level #1 has a bad price NaN');
    expect(() => book.applyDelta('bid', [[100, -2]])).toThrow('bid level #0 at price 100 has a bad size -2');
    expect(() => book.applyDelta('bid', [undefined as unknown as Level])).toThrow('bid level #0 is missing');
    expect(() => book.applyDelta('sell' as 'bid', [])).toThrow(/side must be/);
  });

  it('rejects a bad seq', () => {
    const book = base();
    const before = all(book);
    for (const seq of [-1, 1.5, Number.NaN, 2 ** 60]) {
      expect(() => book.applyDelta('bid', [[100, 0]], seq)).toThrow(BookError);
      expect(() => book.applySnapshot([], [], seq)).toThrow(BookError);
    }
    expect(all(book)).toEqual(before);
    expect(book.seq).toBe(5);
  });
});

describe('L2Book: contiguous sequences', () => {
  const contiguous = (): L2Book => {
    const book = new L2Book({ requireContiguous: true });
    book.applySnapshot([[100, 1]], [[101, 1]], 10);
    return book;
  };

  it('applies seq = previous + 1', () => {
    const book = contiguous();
    expect(book.applyDelta('bid', [[100, 2]], 11)).toBe('ok');
    expect(book.applyDelta({ asks: [[101, 3]] }, 12)).toBe('ok');
    expect(book.seq).toBe(12);
    expect(book.topN(1)).toEqual({ bids: [[100, 2]], asks: [[101, 3]] });
  });

  it('reports a gap and leaves the book untouched until the next snapshot', () => {
    const book = contiguous();
    expect(book.applyDelta('bid', [[100, 2]], 12)).toBe('gap');
    expect(book.bestBid()).toEqual([100, 1]);
    expect(book.seq).toBe(10);
    expect(book.applyDelta('bid', [[100, 3]], 13)).toBe('gap');
    book.applySnapshot([[100, 5]], [[101, 5]], 20);
    expect(book.applyDelta('bid', [[100, 6]], 21)).toBe('ok');
    expect(book.bestBid()).toEqual([100, 6]);
  });

  it('reports a stale delta and ignores it', () => {
    const book = contiguous();
    expect(book.applyDelta('bid', [[100, 2]], 10)).toBe('stale');
    expect(book.applyDelta('bid', [[100, 2]], 3)).toBe('stale');
    expect(book.bestBid()).toEqual([100, 1]);
  });

  it('insists on sequences everywhere', () => {
    const book = new L2Book({ requireContiguous: true });
    expect(() => book.applySnapshot([], [])).toThrow(/needs a seq/);
    expect(book.applyDelta('bid', [[1, 1]], 1)).toBe('gap'); // no baseline yet
    book.applySnapshot([], [], 0);
    expect(() => book.applyDelta('bid', [[1, 1]])).toThrow(/needs a seq/);
    expect(book.applyDelta('bid', [[1, 1]], 1)).toBe('ok');
    book.clear();
    expect(book.applyDelta('bid', [[1, 1]], 2)).toBe('gap');
  });

  it('validates levels before judging the seq, so a bad delta does not consume it', () => {
    const book = contiguous();
    expect(() => book.applyDelta('bid', [[100, -1]], 11)).toThrow(BookError);
    expect(book.applyDelta('bid', [[100, 2]], 11)).toBe('ok');
  });

  it('without requireContiguous, only records the seq', () => {
    const book = bookWith([[100, 1]], [], 10);
    expect(book.applyDelta('bid', [[100, 2]], 50)).toBe('ok');
    expect(book.applyDelta('bid', [[100, 3]], 7)).toBe('ok');
    expect(book.seq).toBe(7);
    expect(book.bestBid()).toEqual([100, 3]);
  });
});
