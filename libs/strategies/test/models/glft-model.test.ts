import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StrategyModelParams, createPricingModel } from '../../src/model/model-params.js';
import { glftCoefficients } from '../../src/models/glft-formulas.js';
import { alternatingBooks, btc, ctx } from '../fixtures.js';

const base = { kind: 'glft', risk_factor: 0.1, order_amount: 1, volatility_estimator: 'window', volatility_window: 10 };
const model = (extra: Record<string, unknown> = {}) => createPricingModel(StrategyModelParams.parse({ ...base, ...extra }), btc);

describe('glft', () => {
  it('c1, c2 at γ=ξ=0.1, Δ=1, A=2, κ=0.5', () => {
    const c = glftCoefficients(0.1, 0.1, 1, 2, 0.5);
    // c1 = 10·ln(1.2); c2 = sqrt(0.1/(2·2·1·0.5) · 1.2^6) = sqrt(0.05 · 2.985984)
    expect(c.c1).toBeCloseTo(1.8232155679395459, 12);
    expect(c.c2).toBeCloseTo(Math.sqrt(0.1492992), 12);
  });

  it('quotes fair ∓ (half ± skew·q) at σ=2, q=1', () => {
    const m = model({ kappa: 0.5, intensity_a: 2 });
    alternatingBooks(m, 100_000, 2, 20);
    const q = m.quote(ctx({ mid: 100_000, position: 1 }))!;
    // half = 1.82321556794 + ½·2·0.38639254651 = 2.20960811445; skew = 2·0.38639254651 = 0.77278509302
    expect(q.bid!.price).toBeCloseTo(100_000 - (2.2096081144515094 + 0.7727850930239273), 6);
    expect(q.ask!.price).toBeCloseTo(100_000 + (2.2096081144515094 - 0.7727850930239273), 6);
    expect(m.diagnostics().skew).toBeCloseTo(0.7727850930239273, 9);
  });

  it('has no quote without σ, or without A and κ (no book fallback: A is not in the book)', () => {
    expect(model({ kappa: 0.5, intensity_a: 2 }).quote(ctx())).toBeNull();
    const m = model();
    alternatingBooks(m, 100_000, 2, 20);
    expect(m.quote(ctx())).toBeNull();
  });

  it('min_spread widens both sides around the skewed centre', () => {
    const m = model({ kappa: 0.5, intensity_a: 2, min_spread: 10 });
    alternatingBooks(m, 100_000, 2, 20);
    const q = m.quote(ctx({ mid: 100_000, position: 1 }))!;
    expect(q.ask!.price - q.bid!.price).toBeCloseTo(100, 6);
    expect((q.ask!.price + q.bid!.price) / 2).toBeCloseTo(100_000 - 0.7727850930239273, 6);
  });

  it('bid < ask for any position, γ, A, κ (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 1e-3, max: 5, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 20, noNaN: true }),
        (position, gamma, a, kappa) => {
          const m = model({ risk_factor: gamma, intensity_a: a, kappa });
          alternatingBooks(m, 1_000_000, 3, 12);
          const q = m.quote(ctx({ mid: 1_000_000, position }));
          if (q?.bid && q.ask) expect(q.bid.price).toBeLessThan(q.ask.price);
        },
      ),
    );
  });
});
