import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateEdge, type EdgeParams, type PriceLevel } from '../src/index.js';

const base: EdgeParams = { buyFee: 0, sellFee: 0, threshold: 0.001, maxQty: 1_000 };

/** Reference: the whole trade's figures at a given quantity, from a plain walk per side (independent of the joint walk). */
function take(levels: readonly PriceLevel[], qty: number): { value: number; filled: number } {
  let value = 0;
  let filled = 0;
  for (const [price, size] of levels) {
    const t = Math.min(size, qty - filled);
    if (t <= 0) break;
    value += t * price;
    filled += t;
  }
  return { value, filled };
}

function netEdgeAt(asks: readonly PriceLevel[], bids: readonly PriceLevel[], qty: number, p: EdgeParams): number {
  const cost = take(asks, qty).value * (1 + p.buyFee);
  return (take(bids, qty).value * (1 - p.sellFee) - cost) / cost;
}

const depthOf = (levels: readonly PriceLevel[]): number => levels.reduce((a, [, s]) => a + s, 0);

/** Asks rising from 100, bids falling from around 100 (sometimes above the asks, so edges exist). */
const arbBooks = fc
  .record({
    askSteps: fc.array(fc.record({ step: fc.double({ min: 0.01, max: 1, noNaN: true }), size: fc.double({ min: 0.01, max: 5, noNaN: true }) }), { minLength: 1, maxLength: 8 }),
    bidSteps: fc.array(fc.record({ step: fc.double({ min: 0.01, max: 1, noNaN: true }), size: fc.double({ min: 0.01, max: 5, noNaN: true }) }), { minLength: 1, maxLength: 8 }),
    gap: fc.double({ min: -0.01, max: 0.03, noNaN: true }),
  })
  .map(({ askSteps, bidSteps, gap }) => {
    let a = 100;
    const asks: PriceLevel[] = askSteps.map(({ step, size }, k) => [(a += k === 0 ? 0 : step), size] as const);
    let b = 100 * (1 + gap);
    const bids: PriceLevel[] = bidSteps.map(({ step, size }, k) => [(b -= k === 0 ? 0 : step), size] as const);
    return { asks, bids };
  });

const fee = fc.double({ min: 0, max: 0.002, noNaN: true });
const threshold = fc.double({ min: 0, max: 0.01, noNaN: true });

describe('evaluateEdge: fees on both legs', () => {
  it('charges the buy fee on the cost and the sell fee on the proceeds (hand example)', () => {
    const r = evaluateEdge([[100, 1]], [[102, 1]], { ...base, buyFee: 0.001, sellFee: 0.002 })!;
    expect(r.qty).toBe(1);
    expect(r.grossEdge).toBeCloseTo(0.02, 12);
    // (102 × 0.998 − 100 × 1.001) / (100 × 1.001) = (101.796 − 100.1) / 100.1
    expect(r.netEdge).toBeCloseTo(1.696 / 100.1, 12);
    expect(r.netProfit).toBeCloseTo(1.696, 10);
  });

  it('is the zero-fee edge with both fees taken off, at the same quantity (property)', () => {
    fc.assert(
      fc.property(arbBooks, fee, fee, (books, fA, fB) => {
        const small = Math.min(books.asks[0]![1], books.bids[0]![1]) / 2; // within the top levels: same qty with or without fees
        const p = { ...base, threshold: 0, maxQty: small };
        const noFee = evaluateEdge(books.asks, books.bids, p);
        const withFee = evaluateEdge(books.asks, books.bids, { ...p, buyFee: fA, sellFee: fB });
        if (withFee === undefined) return;
        expect(noFee).toBeDefined();
        expect(withFee.qty).toBe(noFee!.qty);
        expect(withFee.grossEdge).toBe(noFee!.grossEdge);
        expect(withFee.netEdge).toBeCloseTo(((1 + noFee!.netEdge) * (1 - fB)) / (1 + fA) - 1, 12);
        expect(withFee.netProfit).toBeCloseTo(noFee!.netProfit - small * (withFee.buyVwap * fA + withFee.sellVwap * fB), 9);
      }),
    );
  });
});

describe('evaluateEdge: depth walk', () => {
  const asks: PriceLevel[] = [
    [100, 1],
    [100.5, 2],
    [101, 5],
  ];
  const bids: PriceLevel[] = [
    [102, 1.5],
    [101.2, 2],
    [100, 10],
  ];

  it('walks several levels and cuts the last one exactly where the whole-trade edge meets the threshold (hand-computed)', () => {
    // surplus slopes (bid − 1.001 × ask) per slice: 1.9 ×1, 1.3995 ×0.5, 0.5995 ×1.5, 0.099 ×0.5 → surplus 3.5485 at q 3.5;
    // then bid 100 vs ask 101: slope −1.101, so the cut is 3.5 + 3.5485 / 1.101.
    const r = evaluateEdge(asks, bids, base)!;
    const q = 3.5 + 3.5485 / 1.101;
    expect(r.qty).toBeCloseTo(q, 10);
    expect(r.marginalQty).toBe(3.5);
    const cost = 100 + 2 * 100.5 + (q - 3) * 101;
    const proceeds = 1.5 * 102 + 2 * 101.2 + (q - 3.5) * 100;
    expect(r.buyVwap).toBeCloseTo(cost / q, 10);
    expect(r.sellVwap).toBeCloseTo(proceeds / q, 10);
    expect(r.netEdge).toBeCloseTo(0.001, 12);
    expect(r.netProfit).toBeCloseTo(proceeds - cost, 9);
    expect(r.bestBuy).toBe(100);
    expect(r.bestSell).toBe(102);
  });

  it('reports VWAPs over the quantity when a cap stops the walk inside the levels (hand-computed)', () => {
    const r = evaluateEdge(asks, bids, { ...base, maxQty: 2 })!;
    expect(r.qty).toBe(2);
    expect(r.buyVwap).toBeCloseTo(100.25, 12);
    expect(r.sellVwap).toBeCloseTo(101.8, 12);
    expect(r.grossEdge).toBeCloseTo(1.55 / 100.25, 12);
    expect(r.netProfit).toBeCloseTo(2 * 1.55, 10);
  });

  it('stops at the end of the visible depth, and uses only `levels` levels', () => {
    const deep = evaluateEdge([[100, 1], [100.1, 1]], [[105, 10]], base)!;
    expect(deep.qty).toBe(2);
    expect(evaluateEdge([[100, 1], [100.1, 1]], [[105, 10]], { ...base, levels: 1 })!.qty).toBe(1);
  });

  it('ends exactly on a cumulative depth, not on a sum of float remainders', () => {
    // asks add up to 0.6000000000000001, bids to 0.6: the trade is the smaller, exactly.
    const r = evaluateEdge([[100, 0.1], [100, 0.2], [100, 0.3]], [[110, 0.3], [110, 0.3]], base)!;
    expect(r.qty).toBe(Math.min(0.1 + 0.2 + 0.3, 0.3 + 0.3));
  });
});

describe('evaluateEdge: threshold', () => {
  it('opens just above the threshold and not just below (top of book, fees included)', () => {
    const fA = 0.0004;
    const fB = 0.0006;
    const t = 0.001;
    const atThreshold = (100 * (1 + t) * (1 + fA)) / (1 - fB);
    const p = { ...base, buyFee: fA, sellFee: fB, threshold: t };
    const above = evaluateEdge([[100, 1]], [[atThreshold * (1 + 1e-9), 1]], p);
    expect(above?.qty).toBe(1);
    expect(above!.netEdge).toBeGreaterThanOrEqual(t);
    expect(evaluateEdge([[100, 1]], [[atThreshold * (1 - 1e-9), 1]], p)).toBeUndefined();
  });

  it('finds nothing when the top of book is below the threshold, however deep (concave surplus)', () => {
    expect(evaluateEdge([[100, 1], [100.01, 1]], [[100.05, 1], [100.04, 5]], base)).toBeUndefined();
  });

  it('finds nothing on an empty side', () => {
    expect(evaluateEdge([], [[105, 1]], base)).toBeUndefined();
    expect(evaluateEdge([[100, 1]], [], base)).toBeUndefined();
  });
});

describe('evaluateEdge: quantity caps', () => {
  it('caps at maxQty', () => {
    expect(evaluateEdge([[100, 5]], [[105, 5]], { ...base, maxQty: 1.25 })!.qty).toBe(1.25);
  });

  it('caps the sell side at the base that can be sold', () => {
    expect(evaluateEdge([[100, 5]], [[105, 5]], { ...base, sellBaseBalance: 0.7 })!.qty).toBe(0.7);
    expect(evaluateEdge([[100, 5]], [[105, 5]], { ...base, sellBaseBalance: 0 })).toBeUndefined();
  });

  it('caps the buy side so the cost including the fee fits the quote balance, walking the levels', () => {
    // first level costs 100 × 1.01 = 101; the remaining 49 buys 49 / (110 × 1.01) at the second.
    const r = evaluateEdge(
      [
        [100, 1],
        [110, 1],
      ],
      [[200, 5]],
      { ...base, buyFee: 0.01, buyQuoteBalance: 150 },
    )!;
    expect(r.qty).toBeCloseTo(1 + 49 / 111.1, 12);
    expect(r.buyVwap * r.qty * 1.01).toBeCloseTo(150, 9);
  });

  it('never exceeds any cap and keeps the edge above the threshold (property)', () => {
    fc.assert(
      fc.property(arbBooks, fee, fee, threshold, fc.double({ min: 0.01, max: 20, noNaN: true }), fc.option(fc.double({ min: 1, max: 2_000, noNaN: true })), fc.option(fc.double({ min: 0.01, max: 20, noNaN: true })), (books, fA, fB, t, maxQty, quote, baseBal) => {
        const p: EdgeParams = { buyFee: fA, sellFee: fB, threshold: t, maxQty, buyQuoteBalance: quote ?? undefined, sellBaseBalance: baseBal ?? undefined };
        const r = evaluateEdge(books.asks, books.bids, p);
        if (r === undefined) return;
        expect(r.qty).toBeLessThanOrEqual(maxQty);
        if (baseBal !== null) expect(r.qty).toBeLessThanOrEqual(baseBal);
        if (quote !== null) expect(r.buyVwap * r.qty * (1 + fA)).toBeLessThanOrEqual(quote * (1 + 1e-12));
        expect(r.netEdge).toBeGreaterThanOrEqual(t - 1e-12);
      }),
    );
  });
});

describe('evaluateEdge: properties', () => {
  it('returns the largest quantity: the edge matches a reference walk, and a little more would fall below the threshold', () => {
    fc.assert(
      fc.property(arbBooks, fee, fee, threshold, (books, fA, fB, t) => {
        const p: EdgeParams = { buyFee: fA, sellFee: fB, threshold: t, maxQty: 1_000 };
        const r = evaluateEdge(books.asks, books.bids, p);
        const available = Math.min(depthOf(books.asks), depthOf(books.bids));
        if (r === undefined) {
          // no quantity works: check the top slice and every level boundary
          for (const q of [available * 1e-6, ...books.asks.map((_, k) => depthOf(books.asks.slice(0, k + 1))), available]) expect(netEdgeAt(books.asks, books.bids, Math.min(q, available), p)).toBeLessThan(t + 1e-12);
          return;
        }
        expect(r.netEdge).toBeGreaterThanOrEqual(t - 1e-12);
        expect(netEdgeAt(books.asks, books.bids, r.qty, p)).toBeCloseTo(r.netEdge, 10);
        expect(r.marginalQty).toBeLessThanOrEqual(r.qty);
        const more = r.qty * (1 + 1e-6);
        if (more < available) expect(netEdgeAt(books.asks, books.bids, more, p)).toBeLessThan(t + 1e-12);
      }),
    );
  });

  it('more fee never means more quantity', () => {
    fc.assert(
      fc.property(arbBooks, fee, fee, fee, threshold, (books, fA, fB, extra, t) => {
        const lo = evaluateEdge(books.asks, books.bids, { ...base, threshold: t, buyFee: fA, sellFee: fB });
        const hiBuy = evaluateEdge(books.asks, books.bids, { ...base, threshold: t, buyFee: fA + extra, sellFee: fB });
        const hiSell = evaluateEdge(books.asks, books.bids, { ...base, threshold: t, buyFee: fA, sellFee: fB + extra });
        for (const hi of [hiBuy, hiSell]) if (hi !== undefined) expect(hi.qty).toBeLessThanOrEqual(lo!.qty * (1 + 1e-12));
      }),
    );
  });

  it('a higher threshold never means more quantity', () => {
    fc.assert(
      fc.property(arbBooks, fee, fee, threshold, threshold, (books, fA, fB, t1, t2) => {
        const [lo, hi] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const rLo = evaluateEdge(books.asks, books.bids, { ...base, buyFee: fA, sellFee: fB, threshold: lo });
        const rHi = evaluateEdge(books.asks, books.bids, { ...base, buyFee: fA, sellFee: fB, threshold: hi });
        if (rHi !== undefined) expect(rHi.qty).toBeLessThanOrEqual(rLo!.qty * (1 + 1e-12));
      }),
    );
  });
});
