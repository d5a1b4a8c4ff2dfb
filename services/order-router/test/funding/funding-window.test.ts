import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fundingQueryStart, nextFundingWatermark } from '../../src/funding/funding-window.js';

const ts = fc.integer({ min: 0, max: 4_000_000_000_000 });
const opts = fc.record({ lookbackMs: fc.integer({ min: 0, max: 10 * 86_400_000 }), marginMs: fc.integer({ min: 0, max: 86_400_000 }) });

describe('funding window', () => {
  it('asks from the watermark less the margin, or now less the lookback, never before 0', () => {
    expect(fundingQueryStart(undefined, 100_000, { lookbackMs: 60_000, marginMs: 5_000 })).toBe(40_000);
    expect(fundingQueryStart(90_000, 100_000, { lookbackMs: 60_000, marginMs: 5_000 })).toBe(85_000);
    expect(fundingQueryStart(1_000, 100_000, { lookbackMs: 60_000, marginMs: 5_000 })).toBe(0);
    fc.assert(
      fc.property(fc.option(ts, { nil: undefined }), ts, opts, (w, now, o) => {
        const since = fundingQueryStart(w, now, o);
        expect(since).toBeGreaterThanOrEqual(0);
        // A stored watermark is always covered again by the margin: nothing settled at or after it is skipped.
        if (w !== undefined) expect(since).toBeLessThanOrEqual(w);
        else expect(since).toBe(Math.max(0, now - o.lookbackMs));
      }),
    );
  });

  it('moves the watermark to the newest payment, never back', () => {
    expect(nextFundingWatermark(undefined, [])).toBeUndefined();
    expect(nextFundingWatermark(5, [])).toBe(5);
    expect(nextFundingWatermark(undefined, [{ tsExchange: 7 }, { tsExchange: 3 }])).toBe(7);
    fc.assert(
      fc.property(fc.option(ts, { nil: undefined }), fc.array(ts.map((t) => ({ tsExchange: t })), { maxLength: 20 }), (w, payments) => {
        const next = nextFundingWatermark(w, payments);
        const all = [...(w === undefined ? [] : [w]), ...payments.map((p) => p.tsExchange)];
        expect(next).toBe(all.length === 0 ? undefined : Math.max(...all));
        // Booking the same payments again changes nothing.
        expect(nextFundingWatermark(next, payments)).toBe(next);
      }),
    );
  });
});
