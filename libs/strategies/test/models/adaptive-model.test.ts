import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StrategyModelParams, createPricingModel } from '../../src/model/model-params.js';
import { alternatingBooks, btc, ctx } from '../fixtures.js';

const model = (extra: Record<string, unknown> = {}) =>
  createPricingModel(StrategyModelParams.parse({ kind: 'adaptive', order_amount: 0.1, volatility_estimator: 'window', volatility_window: 10, ...extra }), btc);

describe('adaptive model', () => {
  it('before σ is known quotes the base half-spread, symmetric when flat', () => {
    const q = model().quote(ctx({ mid: 100_000 }))!;
    expect(q.bid!.price).toBeCloseTo(99_900, 6); // 10 bps
    expect(q.ask!.price).toBeCloseTo(100_100, 6);
    expect(q.bid!.size).toBe(0.1);
  });

  it('skews against a long position: half a max position, coefficient 1 → both quotes 5 bps lower', () => {
    const q = model().quote(ctx({ mid: 100_000, position: 5, maxPosition: 10 }))!;
    // half = 10 bps, shift = 1 · 0.5 · 10 = 5 bps: bid at 15 bps below, ask at 5 bps above.
    expect(q.bid!.price).toBeCloseTo(99_850, 6);
    expect(q.ask!.price).toBeCloseTo(100_050, 6);
  });

  it('skews up when short, scaled by skew_coefficient, clamped at max_position', () => {
    const q = model({ skew_coefficient: 0.5 }).quote(ctx({ mid: 100_000, position: -30, maxPosition: 10 }))!;
    // u clamps to −1: shift = 0.5 · −1 · 10 = −5 bps.
    expect(q.bid!.price).toBeCloseTo(99_950, 6);
    expect(q.ask!.price).toBeCloseTo(100_150, 6);
  });

  it('skews against position − target_position', () => {
    const q = model({ target_position: 5 }).quote(ctx({ mid: 100_000, position: 5, maxPosition: 10 }))!;
    expect(q.bid!.price).toBeCloseTo(99_900, 6);
    expect(q.ask!.price).toBeCloseTo(100_100, 6);
    const under = model({ target_position: 5 }).quote(ctx({ mid: 100_000, position: 0, maxPosition: 10 }))!;
    expect(under.bid!.price).toBeCloseTo(99_950, 6); // 5 under target: leans to buy
  });

  it('widens with σ: σ = 10 $/√s at 100 000 is 1 bps/√s; multiplier 2 → 10·(1+2·1) = 30 bps', () => {
    const m = model({ volatility_multiplier: 2 });
    alternatingBooks(m, 100_000, 10, 20);
    const q = m.quote(ctx({ mid: 100_000 }))!;
    expect(m.diagnostics().sigma).toBeCloseTo(10, 9);
    expect(q.bid!.price).toBeCloseTo(99_700, 6);
    expect(q.ask!.price).toBeCloseTo(100_300, 6);
    const ewma = model({ volatility_multiplier: 2, volatility_estimator: 'ewma' });
    alternatingBooks(ewma, 100_000, 10, 20);
    expect(ewma.quote(ctx({ mid: 100_000 }))!.ask!.price).toBeCloseTo(100_300, 6);
  });

  it('bid < ask, positive prices and sizes for any position and σ (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 500, noNaN: true }),
        (position, step, skew, base) => {
          const m = model({ skew_coefficient: skew, base_spread_bps: base });
          alternatingBooks(m, 50_000, step, 12);
          const q = m.quote(ctx({ mid: 50_000, position, maxPosition: 10 }))!;
          expect(q.ask).toBeDefined();
          if (q.bid) {
            expect(q.bid.price).toBeLessThan(q.ask!.price);
            expect(q.bid.price).toBeGreaterThan(0);
            expect(q.bid.size).toBeGreaterThanOrEqual(0);
          }
          expect(q.ask!.size).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
