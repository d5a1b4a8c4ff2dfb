import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { D, dec, toText } from '@perpetua/core';
import { DailyLossTracker } from '../src/daily-loss-tracker.js';

const DAY = 86_400_000;
const T0 = 19_700 * DAY; // a UTC midnight
const limits = { maxDailyLoss: '100', maxDrawdown: '150' };

function tracker(...points: [number | string, number][]): DailyLossTracker {
  const t = new DailyLossTracker();
  for (const [equity, now] of points) t.observe(typeof equity === 'string' ? dec(equity) : equity, now);
  return t;
}

describe('DailyLossTracker', () => {
  it('nothing observed: no breach', () => {
    expect(new DailyLossTracker().breach(limits)).toBeUndefined();
  });

  it('daily loss: exactly −limit from the day start halts, a cent less does not', () => {
    expect(tracker([1000, T0 + 1], ['900.01', T0 + 2]).breach(limits)).toBeUndefined();
    expect(tracker([1000, T0 + 1], [900, T0 + 2]).breach(limits)).toEqual({
      rule: 'max_daily_loss',
      detail: "equity 900 is -100 from the day's start 1000, limit -100",
    });
  });

  it('drawdown: exactly −limit from the day’s peak halts, a cent less does not — even when up on the day', () => {
    expect(tracker([1000, T0], [1300, T0 + 10], ['1150.01', T0 + 20]).breach(limits)).toBeUndefined();
    expect(tracker([1000, T0], [1300, T0 + 10], [1150, T0 + 20]).breach(limits)).toEqual({
      rule: 'max_drawdown',
      detail: "equity 1150 is -150 from the day's peak 1300, limit -150",
    });
  });

  it('daily loss is reported before drawdown when both breach', () => {
    expect(tracker([1000, T0], [1100, T0 + 1], [800, T0 + 2]).breach(limits)?.rule).toBe('max_daily_loss');
    expect(tracker([1000, T0], [1100, T0 + 1], [800, T0 + 2]).breach({ maxDrawdown: '150' })?.rule).toBe('max_drawdown');
  });

  it('limits unset: never breaches', () => {
    expect(tracker([1000, T0], [1, T0 + 1]).breach({})).toBeUndefined();
  });

  it('a new UTC day resets start and peak: at the stroke of midnight, not a millisecond before', () => {
    const t = tracker([1000, T0], [1200, T0 + 1000], [900, T0 + DAY - 1]);
    expect(t.breach(limits)?.rule).toBe('max_daily_loss');
    t.observe(900, T0 + DAY);
    expect(t.breach(limits)).toBeUndefined();
    expect(t.state()).toEqual({ day: T0 / DAY + 1, start: dec('900'), peak: dec('900'), equity: dec('900') });
    t.observe(800, T0 + DAY + 1);
    expect(t.breach(limits)).toEqual({ rule: 'max_daily_loss', detail: "equity 800 is -100 from the day's start 900, limit -100" });
  });

  it('a late observation from the previous day is ignored', () => {
    const t = tracker([1000, T0 + DAY]);
    t.observe(1, T0 + DAY - 1);
    expect(t.state()?.equity).toBe(dec('1000'));
  });

  it('takes exact decimals and floats alike', () => {
    const t = tracker([1000, T0]);
    t.observe(dec('899.999999999999999999'), T0 + 1);
    expect(t.breach(limits)?.rule).toBe('max_daily_loss');
    t.observe(1000 + 0.1 + 0.2, T0 + 2); // a double, taken exactly as it prints
    expect(toText(t.state()!.peak)).toBe('1000.3000000000001');
  });

  it('start, peak and breach follow a model across day rollovers (property)', () => {
    const step = fc.record({ dt: fc.integer({ min: 0, max: DAY / 2 }), equity: fc.integer({ min: -100_000, max: 100_000 }) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), (steps, loss, dd) => {
        const t = new DailyLossTracker();
        let now = T0;
        let day = -1;
        let start = 0;
        let peak = 0;
        for (const s of steps) {
          now += s.dt;
          t.observe(s.equity / 100, now);
          const d = Math.floor(now / DAY);
          if (d !== day) [day, start, peak] = [d, s.equity, s.equity];
          else peak = Math.max(peak, s.equity);
          // Model in integer cents: no float at the boundary.
          const expected = s.equity - start <= -loss * 100 ? 'max_daily_loss' : s.equity - peak <= -dd * 100 ? 'max_drawdown' : undefined;
          expect(t.breach({ maxDailyLoss: String(loss), maxDrawdown: String(dd) })?.rule).toBe(expected);
          expect(t.state()).toMatchObject({ day, start: D.div(dec(start), dec(100)), peak: D.div(dec(peak), dec(100)) });
        }
      }),
    );
  });
});
