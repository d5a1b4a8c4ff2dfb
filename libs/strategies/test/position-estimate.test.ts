import { describe, expect, it } from 'vitest';
import { D, dec, type Decimal } from '@perpetua/core';
import { PositionEstimate } from '../src/runtime/position-estimate.js';

const text = (x: Decimal) => D.toText(x);

describe('position estimate', () => {
  it('a report trailing the fills already counted keeps the count; another report is taken as it is', () => {
    const p = new PositionEstimate();
    p.fill('f1', 'buy', dec('2'));
    p.fill('f2', 'buy', dec('1.5'));
    p.report(dec('2')); // risk booked f1, not yet f2
    expect(text(p.value)).toBe('3.5');
    p.report(dec('3.5'));
    expect(text(p.value)).toBe('3.5');
    p.report(dec('2')); // behind what risk already reported: not a trailing report, a correction
    expect(text(p.value)).toBe('2');
    p.report(dec('7')); // another order on the account
    expect(text(p.value)).toBe('7');
  });

  it('a fill delivered twice counts once', () => {
    const p = new PositionEstimate();
    expect(p.fill('f1', 'sell', dec('1'))).toBe(true);
    expect(p.fill('f1', 'sell', dec('1'))).toBe(false);
    expect(text(p.value)).toBe('-1');
  });

  it('the range risk may see: its report, the count, and the count plus fills order events showed first', () => {
    const p = new PositionEstimate();
    p.fill('f1', 'buy', dec('2'));
    expect(p.range({ buy: D.ZERO, sell: dec('0.5') })).toEqual({ low: dec('0'), high: dec('2') }); // reported 0, counted 2, 1.5 with the sell
    expect(p.range({ buy: dec('1'), sell: D.ZERO })).toEqual({ low: dec('0'), high: dec('3') });
  });
});
