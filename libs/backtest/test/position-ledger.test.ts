import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { D, dec, toText } from '@perpetua/core';
import { PositionLedger } from '../src/index.js';

describe('PositionLedger', () => {
  it('realizes against the average entry, through a flip, exactly', () => {
    const l = new PositionLedger();
    l.fill('buy', dec('100'), dec('1'), dec('0.02'));
    l.fill('buy', dec('110'), dec('1'), dec('-0.01'));
    expect(toText(l.avgEntry())).toBe('105');
    l.fill('sell', dec('120'), dec('3'), dec('0'));
    expect(toText(l.realized)).toBe('30');
    expect(toText(l.qty)).toBe('-1');
    expect(toText(l.avgEntry())).toBe('120');
    expect(toText(l.unrealized(dec('118')))).toBe('2');
    expect([toText(l.feesPaid), toText(l.rebates)]).toEqual(['0.02', '0.01']);
    l.addFunding(dec('-0.5'));
    expect(toText(l.total(dec('118')))).toBe('31.49');
  });

  it('a round trip at the same price realizes nothing; PnL equals the cash flow once flat', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ buy: fc.boolean(), px: fc.integer({ min: 90, max: 110 }), q: fc.integer({ min: 1, max: 5 }) }), { maxLength: 30 }), (trades) => {
        const l = new PositionLedger();
        let cash = D.ZERO;
        for (const t of trades) {
          l.fill(t.buy ? 'buy' : 'sell', dec(t.px), dec(t.q), D.ZERO);
          cash = t.buy ? D.sub(cash, dec(t.px * t.q)) : D.add(cash, dec(t.px * t.q));
        }
        // Close at 100: realized + unrealized at 100 equals the cash flow plus the position's value at 100.
        expect(l.total(dec(100))).toBe(D.add(cash, D.mul(l.qty, dec(100))));
      }),
    );
  });
});
