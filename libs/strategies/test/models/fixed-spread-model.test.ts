import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StrategyModelParams, createPricingModel } from '../../src/model/model-params.js';
import { btc, ctx } from '../fixtures.js';

const model = (extra: Record<string, unknown> = {}) =>
  createPricingModel(StrategyModelParams.parse({ kind: 'fixed-spread', order_amount: 0.01, ...extra }), btc);

describe('fixed-spread model', () => {
  it('quotes mid·(1−s) and mid·(1+s) at the default 10 bps', () => {
    const q = model().quote(ctx({ mid: 100_000 }))!;
    expect(q.bid!.price).toBeCloseTo(99_900, 6);
    expect(q.ask!.price).toBeCloseTo(100_100, 6);
    expect(q.bid!.size).toBe(0.01);
    expect(q.ask!.size).toBe(0.01);
  });

  it('honours separate bid and ask spreads', () => {
    const q = model({ bid_spread_bps: 20, ask_spread_bps: 5 }).quote(ctx({ mid: 50_000 }))!;
    expect(q.bid!.price).toBeCloseTo(49_900, 6);
    expect(q.ask!.price).toBeCloseTo(50_025, 6);
  });

  it('cannot quote without a valid mid', () => {
    expect(model().quote(ctx({ mid: 0 }))).toBeNull();
    expect(model().quote(ctx({ mid: Number.NaN }))).toBeNull();
  });

  it('keeps the runtime keys it does not know (not strict) and rejects nonsense', () => {
    expect(StrategyModelParams.parse({ kind: 'fixed-spread', order_amount: 1, order_levels: 3 })).toMatchObject({ order_levels: 3 });
    expect(() => StrategyModelParams.parse({ kind: 'fixed-spread', order_amount: -1 })).toThrow();
    expect(() => StrategyModelParams.parse({ kind: 'nope', order_amount: 1 })).toThrow();
  });

  it('bid < mid < ask and sizes positive (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e7, noNaN: true }), fc.double({ min: 0.01, max: 5000, noNaN: true }), (mid, bps) => {
        const q = model({ spread_bps: bps }).quote(ctx({ mid }))!;
        expect(q.bid!.price).toBeLessThan(mid);
        expect(q.ask!.price).toBeGreaterThan(mid);
        expect(q.bid!.size).toBeGreaterThan(0);
      }),
    );
  });
});
