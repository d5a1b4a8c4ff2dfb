import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StrategyModelParams, createPricingModel } from '../../src/model/model-params.js';
import { optimalSpread, reservationPrice, kappaForSpread } from '../../src/models/avellaneda-stoikov-formulas.js';
import { timeToHorizon } from '../../src/models/horizon.js';
import { alternatingBooks, bookEvent, btc, ctx, tradeEvent } from '../fixtures.js';

const base = { kind: 'avellaneda-stoikov', risk_factor: 0.1, order_amount: 1, volatility_estimator: 'window', volatility_window: 10 };
const model = (extra: Record<string, unknown> = {}) => createPricingModel(StrategyModelParams.parse({ ...base, ...extra }), btc);
/** A model whose σ is 2 $/√s (mids alternating 100 000 / 100 002 each second). */
function warmed(extra: Record<string, unknown> = {}) {
  const m = model(extra);
  alternatingBooks(m, 100_000, 2, 20);
  return m;
}

describe('avellaneda-stoikov formulas', () => {
  it('r = s − qγσ²τ and spread = γσ²τ + (2/γ)ln(1+γ/κ)', () => {
    expect(reservationPrice(100, 2, 0.1, 2, 1)).toBeCloseTo(100 - 0.8, 12);
    // 0.4 + 20·ln(1.2) = 0.4 + 3.6464311358790918
    expect(optimalSpread(0.1, 2, 1, 0.5)).toBeCloseTo(4.046431135879092, 12);
    expect(kappaForSpread(0.1, 1)).toBeCloseTo(1.950416649306586, 12);
    expect(optimalSpread(0.1, 0, 1, kappaForSpread(0.1, 1))).toBeCloseTo(1, 12);
  });
});

describe('avellaneda-stoikov model', () => {
  it('cannot quote before σ is known', () => {
    expect(model({ kappa: 0.5 }).quote(ctx())).toBeNull();
  });

  it('matches the formulas at γ=0.1, σ=2, κ=0.5, q=2, τ=1 (infinite), η=0.5', () => {
    const m = warmed({ kappa: 0.5, order_amount_shape_factor: 0.5 });
    const q = m.quote(ctx({ mid: 100_000, position: 2 }))!;
    // r = 100000 − 2·0.1·4·1 = 99999.2; half = (0.4 + 20·ln 1.2)/2 = 2.023215567939546
    expect(q.bid!.price).toBeCloseTo(99_997.176784432, 6);
    expect(q.ask!.price).toBeCloseTo(100_001.223215568, 6);
    expect(q.bid!.size).toBeCloseTo(Math.exp(-1), 12); // long: smaller bid
    expect(q.ask!.size).toBeCloseTo(Math.exp(1), 12);
    expect(m.diagnostics()).toMatchObject({ reservationPrice: 99_999.2, kappaSource: 1, tau: 1 });
  });

  it('a short position raises the reservation price', () => {
    const m = warmed({ kappa: 0.5 });
    expect(m.quote(ctx({ mid: 100_000, position: -2 }))!.bid!.price).toBeCloseTo(100_000.8 - 2.023215568, 6);
  });

  it('rolling horizon: τ = horizon_seconds multiplies the inventory terms', () => {
    const q = warmed({ kappa: 0.5, horizon: 'rolling', horizon_seconds: 300 }).quote(ctx({ mid: 100_000, position: 2 }))!;
    // r = 100000 − 2·0.1·4·300 = 99760; spread = 120 + 3.6464311358790918
    expect(q.bid!.price).toBeCloseTo(99_760 - 123.64643113587909 / 2, 6);
    expect(q.ask!.price).toBeCloseTo(99_760 + 123.64643113587909 / 2, 6);
  });

  it('daily horizon counts the seconds to closing_time (UTC)', () => {
    const p = { horizon: 'daily' as const, horizon_seconds: 1, closing_time: '00:00' };
    expect(timeToHorizon(p, Date.UTC(2026, 0, 1, 23, 0, 0))).toBe(3600);
    expect(timeToHorizon({ ...p, closing_time: '16:30' }, Date.UTC(2026, 0, 1, 16, 0, 0))).toBe(1800);
    expect(timeToHorizon({ ...p, closing_time: '16:30' }, Date.UTC(2026, 0, 1, 16, 30, 0))).toBe(86_400);
    expect(timeToHorizon({ ...p, closing_time: '16:30' }, Date.UTC(2026, 0, 1, 16, 31, 0))).toBe(86_340);
  });

  it('min_spread (bps of mid) floors the total spread around r', () => {
    const q = warmed({ kappa: 0.5, min_spread: 10 }).quote(ctx({ mid: 100_000 }))!;
    expect(q.ask!.price - q.bid!.price).toBeCloseTo(100, 6);
    expect((q.ask!.price + q.bid!.price) / 2).toBeCloseTo(100_000, 6);
  });

  it('warm-up fallback: κ implied by the book spread, so the risk-neutral part equals it', () => {
    const m = warmed();
    const q = m.quote(ctx({ mid: 100_000, bestBid: 99_999.5, bestAsk: 100_000.5 }))!;
    expect(m.diagnostics().kappaSource).toBe(2);
    // γσ²τ + book spread = 0.4 + 1
    expect(q.ask!.price - q.bid!.price).toBeCloseTo(1.4, 9);
  });

  it('uses the fitted κ once trades are measured', () => {
    const m = warmed({ trading_intensity_bucket_bps: 0.1, trading_intensity_refit_seconds: 1 });
    // 1200 trades over 600 s, distances the quantiles of Exp(0.5) from the mid.
    const n = 1200;
    for (let j = 0; j < n; j++) {
      const ts = 20_000 + (j + 1) * 500;
      m.onMarketEvent(bookEvent(ts, 99_999.95, 100_000.05));
      const d = -Math.log(1 - (((j * 7919) % n) + 0.5) / n) / 0.5;
      m.onMarketEvent(tradeEvent(ts + 1, j % 2 ? 100_000 + d : 100_000 - d));
    }
    m.quote(ctx({ mid: 100_000 }));
    const d = m.diagnostics();
    expect(d.kappaSource).toBe(0);
    expect(d.kappa).toBeGreaterThan(0.47);
    expect(d.kappa).toBeLessThan(0.53);
  });

  it('rejects γ ≤ 0', () => {
    expect(() => StrategyModelParams.parse({ ...base, risk_factor: 0 })).toThrow();
    expect(() => StrategyModelParams.parse({ ...base, risk_factor: -1 })).toThrow();
    expect(() => StrategyModelParams.parse({ ...base, closing_time: '25:00' })).toThrow();
  });

  it('bid < ask and sizes ≥ 0 for any position, γ, κ, η (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 1e-4, max: 10, noNaN: true }),
        fc.double({ min: 1e-3, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (position, gamma, kappa, eta) => {
          const m = model({ risk_factor: gamma, kappa, order_amount_shape_factor: eta });
          alternatingBooks(m, 1_000_000, 3, 12);
          const q = m.quote(ctx({ mid: 1_000_000, position }))!;
          if (q.bid && q.ask) expect(q.bid.price).toBeLessThan(q.ask.price);
          for (const s of [q.bid, q.ask]) if (s) expect(s.size).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
