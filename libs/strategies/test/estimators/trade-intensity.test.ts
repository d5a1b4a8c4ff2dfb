import { describe, expect, it } from 'vitest';
import { TradeIntensityEstimator } from '../../src/estimators/trade-intensity.js';

const opts = { windowSec: 600, maxTrades: 5000, bucketBps: 0.1, minBucket: 0.1, buckets: 20, minTrades: 30, refitSec: 1 };

/** N = A·W trades whose distances are the quantiles of Exp(κ): the tail count at δ is N·e^(−κδ). */
function synthetic(est: TradeIntensityEstimator, a: number, kappa: number, t0: number, mid: number, windowSec = 600): void {
  const n = Math.round(a * windowSec);
  const step = (windowSec * 1000) / n;
  est.onMid(t0, mid);
  for (let j = 0; j < n; j++) {
    // A fixed permutation so distances do not arrive sorted.
    const k = (j * 7919) % n;
    const delta = -Math.log(1 - (k + 0.5) / n) / kappa;
    est.onTrade(t0 + (j + 1) * step, j % 2 === 0 ? mid + delta : mid - delta);
  }
}

describe('trade intensity fit', () => {
  it('recovers A and κ from synthetic trades (within 5%)', () => {
    const est = new TradeIntensityEstimator(opts);
    synthetic(est, 2, 0.5, 1_000_000, 100_000);
    const f = est.fit()!;
    expect(f.kappa).toBeGreaterThan(0.5 * 0.95);
    expect(f.kappa).toBeLessThan(0.5 * 1.05);
    expect(f.a).toBeGreaterThan(2 * 0.95);
    expect(f.a).toBeLessThan(2 * 1.05);
    expect(f.trades).toBe(1200);
  });

  it('recovers a steep κ too (distances in ticks)', () => {
    const est = new TradeIntensityEstimator({ ...opts, bucketBps: 0.01 });
    synthetic(est, 5, 4, 0, 50_000);
    const f = est.fit()!;
    expect(f.kappa / 4).toBeGreaterThan(0.93);
    expect(f.kappa / 4).toBeLessThan(1.07);
    expect(f.a / 5).toBeGreaterThan(0.9);
    expect(f.a / 5).toBeLessThan(1.1);
  });

  it('has no fit until enough trades, and keeps the last good fit when the window empties', () => {
    const est = new TradeIntensityEstimator(opts);
    est.onMid(0, 100_000);
    for (let i = 0; i < 10; i++) est.onTrade(1000 * (i + 1), 100_000 + i);
    expect(est.fit()).toBeUndefined();
    synthetic(est, 2, 0.5, 20_000, 100_000);
    const f = est.fit()!;
    expect(f).toBeDefined();
    est.onMid(10_000_000, 100_000); // every trade has left the window: the refit fails, the fit stays
    expect(est.fit()).toEqual(f);
    expect(est.tradeCount()).toBe(0);
  });

  it('ignores trades before any mid, and keeps at most maxTrades', () => {
    const est = new TradeIntensityEstimator({ ...opts, maxTrades: 50 });
    est.onTrade(0, 100);
    expect(est.tradeCount()).toBe(0);
    est.onMid(1, 100);
    for (let i = 0; i < 200; i++) est.onTrade(2 + i, 100.5);
    expect(est.tradeCount()).toBe(50);
  });
});
