import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EwmaVolatility } from '../../src/estimators/ewma-volatility.js';
import { WindowVolatility } from '../../src/estimators/window-volatility.js';
import { MidReturnSampler } from '../../src/estimators/mid-return-sampler.js';

const feed = (e: { update(ts: number, mid: number): void }, series: [number, number][]) => {
  for (const [ts, mid] of series) e.update(ts, mid);
};

describe('mid return sampler', () => {
  it('samples once per interval of event time and spans quiet gaps', () => {
    const s = new MidReturnSampler(1000);
    expect(s.observe(0, 100)).toBeUndefined();
    expect(s.observe(500, 101)).toBeUndefined(); // not due
    expect(s.observe(1000, 101)).toEqual({ dMid: 1, dtSec: 1 });
    expect(s.observe(5000, 103)).toEqual({ dMid: 2, dtSec: 4 });
    expect(s.observe(4000, 90)).toBeUndefined(); // time going backwards never samples
    expect(s.observe(6000, Number.NaN)).toBeUndefined();
  });
});

describe('fixed-window volatility', () => {
  it('σ² = ΣΔ²/Σdt over the last N samples (hand-computed)', () => {
    const w = new WindowVolatility({ sampleIntervalSec: 1, window: 3, minSamples: 3 });
    // Returns 5 (dropped by the window), 1, −1, 3 over 1 s each → σ² = (1+1+9)/3.
    feed(w, [[0, 100], [1000, 105], [2000, 106]]);
    expect(w.ready()).toBe(false);
    expect(w.sigma()).toBeUndefined();
    feed(w, [[3000, 105], [4000, 108]]);
    expect(w.sigma()).toBeCloseTo(Math.sqrt(11 / 3), 12);
    expect(w.samples()).toBe(3);
  });

  it('a quiet gap is one sample over its length: +2 over 4 s is σ = 1 per √s', () => {
    const w = new WindowVolatility({ sampleIntervalSec: 1, window: 10, minSamples: 1 });
    feed(w, [[0, 100], [4000, 102]]);
    expect(w.sigma()).toBeCloseTo(1, 12);
  });
});

describe('EWMA volatility', () => {
  it('weighs samples 2/(N+1) (hand-computed, span 3 → decay ½)', () => {
    const e = new EwmaVolatility({ sampleIntervalSec: 1, span: 3, minSamples: 3 });
    feed(e, [[0, 100], [1000, 101], [2000, 100], [3000, 103]]);
    // Δ² = 1, 1, 9 with weights ¼, ½, 1 over dt 1 each: 9.75 / 1.75.
    expect(e.sigma()).toBeCloseTo(Math.sqrt(9.75 / 1.75), 12);
  });

  it('an alternating ±1 mid per second is σ = 1 for both estimators', () => {
    const e = new EwmaVolatility({ sampleIntervalSec: 1, span: 20, minSamples: 5 });
    const w = new WindowVolatility({ sampleIntervalSec: 1, window: 20, minSamples: 5 });
    for (let i = 0; i < 50; i++) {
      e.update(i * 1000, 100 + (i % 2));
      w.update(i * 1000, 100 + (i % 2));
    }
    expect(e.sigma()).toBeCloseTo(1, 12);
    expect(w.sigma()).toBeCloseTo(1, 12);
  });

  it('σ scales with the price moves and is never negative (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 12, maxLength: 60 }), fc.double({ min: 0.1, max: 10, noNaN: true }), (moves, k) => {
        const a = new EwmaVolatility({ sampleIntervalSec: 1, span: 10, minSamples: 10 });
        const b = new EwmaVolatility({ sampleIntervalSec: 1, span: 10, minSamples: 10 });
        let m = 10_000;
        moves.forEach((d, i) => {
          a.update((i + 1) * 1000, m + d);
          b.update((i + 1) * 1000, 10_000 + (m + d - 10_000) * k);
          m += d;
        });
        a.update(0, 1); // stale, ignored
        const sa = a.sigma()!;
        expect(sa).toBeGreaterThanOrEqual(0);
        expect(b.sigma()!).toBeCloseTo(sa * k, 6);
      }),
    );
  });
});
