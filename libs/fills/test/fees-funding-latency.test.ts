import { describe, expect, it } from 'vitest';
import { dec, toText } from '@perpetua/core';
import { constantLatency, feeFor, feeTier, feeTierOf, FundingClock, fundingPayment, lognormalLatency, sampledLatency } from '../src/index.js';

describe('fees', () => {
  it('charges the taker rate and pays the maker rebate on notional, exactly', () => {
    const tier = feeTier('vip0', '-0.00005', '0.00045');
    expect(toText(feeFor(tier, 'taker', dec('43210.5'), dec('0.003')))).toBe('0.058334175');
    expect(toText(feeFor(tier, 'maker', dec('43210.5'), dec('0.003')))).toBe('-0.006481575');
  });

  it('takes the venue-reported tier from the instrument', () => {
    expect(feeTierOf({ makerFee: 0.0002, takerFee: 0.0005 })).toEqual({ name: 'venue', maker: dec('0.0002'), taker: dec('0.0005') });
  });
});

describe('funding', () => {
  it('a long pays a positive rate; a short receives it', () => {
    expect(toText(fundingPayment(dec('2'), dec('50000'), dec('0.0001')))).toBe('-10');
    expect(toText(fundingPayment(dec('-2'), dec('50000'), dec('0.0001')))).toBe('10');
  });

  it('pays once at each funding time with the last rate and mark before it', () => {
    const h = 3_600_000;
    const clock = new FundingClock({ intervalMs: 8 * h });
    clock.onMark(1 * h, dec('100'), dec('0.0001'), 8 * h);
    expect(clock.advance(7 * h, dec('1'))).toBeUndefined();
    clock.onMark(7.5 * h, dec('110'), dec('0.0002'), 8 * h);
    const ev = clock.advance(8 * h, dec('1'));
    expect(ev && toText(ev.amount)).toBe('-0.022');
    expect(ev?.ts).toBe(8 * h);
    expect(clock.advance(8 * h + 1, dec('1'))).toBeUndefined();
    expect(clock.advance(16 * h, dec('1'))?.ts).toBe(16 * h);
  });

  it('without an announced time, funds on the interval from the UTC epoch; a flat position pays nothing', () => {
    const h = 3_600_000;
    const clock = new FundingClock({ intervalMs: 8 * h });
    clock.onMark(3 * h, dec('100'), dec('0.0001'), undefined);
    expect(clock.advance(8 * h, dec('0'))).toBeUndefined();
    expect(clock.advance(16 * h, dec('-1'))?.amount).toBe(dec('0.01'));
  });

  it('a gap in the data over several funding times pays once, not once per missed time', () => {
    const h = 3_600_000;
    const clock = new FundingClock({ intervalMs: 8 * h });
    clock.onMark(0, dec('100'), dec('0.0001'), undefined);
    expect(clock.advance(30 * h, dec('1'))?.ts).toBe(8 * h);
    expect(clock.advance(31 * h, dec('1'))).toBeUndefined();
    expect(clock.advance(32 * h, dec('1'))?.ts).toBe(32 * h);
  });
});

describe('latency models', () => {
  it('constant latency defaults cancel and response to the entry latency', () => {
    const l = constantLatency({ entryMs: 12, responseMs: 3 });
    expect([l.entry(), l.cancel(), l.response()]).toEqual([12, 12, 3]);
    expect(() => constantLatency({ entryMs: -1 })).toThrow(RangeError);
  });

  it('seeded distributions repeat under the same seed and draw from their samples', () => {
    const a = sampledLatency({ entrySamplesMs: [1, 2, 3, 50], seed: 7 });
    const b = sampledLatency({ entrySamplesMs: [1, 2, 3, 50], seed: 7 });
    const xs = Array.from({ length: 100 }, () => a.entry());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.entry()));
    expect(new Set(xs)).toEqual(new Set([1, 2, 3, 50]));
    const ln = lognormalLatency({ medianMs: 10, sigma: 0.5, seed: 1 });
    const draws = Array.from({ length: 2001 }, () => ln.entry()).sort((x, y) => x - y);
    expect(draws[1000]).toBeGreaterThan(9);
    expect(draws[1000]).toBeLessThan(11);
  });
});
