import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OrderRateWindow } from '../src/order-rate-window.js';

describe('OrderRateWindow', () => {
  it('exactly the max in a second passes, one more fails and records nothing', () => {
    const w = new OrderRateWindow(3);
    expect(w.tryTake('v', 3, 0)).toBe(true);
    expect(w.tryTake('v', 1, 500)).toBe(false);
    expect(w.available('v', 500)).toBe(0);
    const v = new OrderRateWindow(3);
    expect(v.tryTake('v', 4, 0)).toBe(false);
    expect(v.available('v', 0)).toBe(3);
  });

  it('slides: a placement at t counts until t + 999 and is free at t + 1000', () => {
    const w = new OrderRateWindow(3);
    expect(w.tryTake('v', 2, 0)).toBe(true);
    expect(w.tryTake('v', 1, 400)).toBe(true);
    expect(w.available('v', 999)).toBe(0);
    expect(w.tryTake('v', 1, 999)).toBe(false);
    expect(w.available('v', 1000)).toBe(2);
    expect(w.tryTake('v', 2, 1000)).toBe(true);
    expect(w.available('v', 1399)).toBe(0);
    expect(w.available('v', 1400)).toBe(1);
  });

  it('venues are independent; taking zero always succeeds', () => {
    const w = new OrderRateWindow(1);
    expect(w.tryTake('a', 1, 0)).toBe(true);
    expect(w.tryTake('b', 1, 0)).toBe(true);
    expect(w.tryTake('a', 0, 0)).toBe(true);
    expect(w.tryTake('a', 1, 0)).toBe(false);
  });

  it('never lets any 1 s window hold more than the max (property)', () => {
    const step = fc.record({ dt: fc.integer({ min: 0, max: 400 }), n: fc.integer({ min: 0, max: 4 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(step, { maxLength: 60 }), (max, steps) => {
        const w = new OrderRateWindow(max);
        const taken: { t: number; n: number }[] = [];
        let t = 0;
        for (const s of steps) {
          t += s.dt;
          const inWindow = taken.filter((e) => t - e.t < 1000).reduce((sum, e) => sum + e.n, 0);
          const ok = w.tryTake('v', s.n, t);
          expect(ok).toBe(inWindow + s.n <= max);
          if (ok && s.n > 0) taken.push({ t, n: s.n });
          expect(w.available('v', t)).toBe(max - taken.filter((e) => t - e.t < 1000).reduce((sum, e) => sum + e.n, 0));
        }
      }),
    );
  });
});
