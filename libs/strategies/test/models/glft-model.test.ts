import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StrategyModelParams, createPricingModel } from '../../src/model/model-params.js';
import { glftCoefficients } from '../../src/models/glft-formulas.js';
import { alternatingBooks, bookEvent, btc, ctx, tradeEvent } from '../fixtures.js';

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

  it('quotes with the fitted A and κ once trades are measured', () => {
    const m = model({ trading_intensity_bucket_bps: 0.1, trading_intensity_refit_seconds: 1 });
    alternatingBooks(m, 100_000, 2, 20);
    // 1200 trades over 600 s (A = 2/s), distances the quantiles of Exp(0.5) from the mid.
    const n = 1200;
    for (let j = 0; j < n; j++) {
      const ts = 20_000 + (j + 1) * 500;
      m.onMarketEvent(bookEvent(ts, 99_999.95, 100_000.05));
      const d = -Math.log(1 - (((j * 7919) % n) + 0.5) / n) / 0.5;
      m.onMarketEvent(tradeEvent(ts + 1, j % 2 ? 100_000 + d : 100_000 - d));
    }
    const q = m.quote(ctx({ mid: 100_000 }))!;
    const d = m.diagnostics();
    expect(d.kappa! / 0.5).toBeGreaterThan(0.94);
    expect(d.kappa! / 0.5).toBeLessThan(1.06);
    expect(d.intensityA! / 2).toBeGreaterThan(0.9);
    expect(d.intensityA! / 2).toBeLessThan(1.1);
    expect(q.ask!.price - q.bid!.price).toBeCloseTo(2 * d.halfSpread!, 9);
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
