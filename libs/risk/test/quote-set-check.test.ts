import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dec, D, type Decimal, type WantedQuote } from '@perpetua/core';
import { checkQuoteSet } from '../src/quote-set-check.js';

const limits = { maxPosition: '1', maxOrderSize: '0.5' };
const q = (slot: string, side: 'buy' | 'sell', price: string, qty: string): WantedQuote => ({ slot, side, price, qty, postOnly: true });
const pos = (s: string) => dec(s);

describe('checkQuoteSet', () => {
  it('approves quotes within limits', () => {
    const r = checkQuoteSet([q('bid-0', 'buy', '99', '0.1'), q('ask-0', 'sell', '101', '0.1')], pos('0'), limits, false);
    expect(r.approved.map((x) => x.slot)).toEqual(['bid-0', 'ask-0']);
    expect(r.rejects).toEqual([]);
  });

  it('max order size: equal passes, one lot more is rejected', () => {
    expect(checkQuoteSet([q('b', 'buy', '99', '0.5')], pos('0'), limits, false).approved).toHaveLength(1);
    const r = checkQuoteSet([q('b', 'buy', '99', '0.500001')], pos('0'), limits, false);
    expect(r.approved).toHaveLength(0);
    expect(r.rejects[0]).toMatchObject({ slot: 'b', rule: 'max_order_size' });
  });

  it('max position: a buy that reaches the limit exactly passes, beyond is rejected', () => {
    expect(checkQuoteSet([q('b', 'buy', '99', '0.5')], pos('0.5'), limits, false).approved).toHaveLength(1);
    const r = checkQuoteSet([q('b', 'buy', '99', '0.5')], pos('0.6'), limits, false);
    expect(r.rejects[0]).toMatchObject({ rule: 'max_position' });
    // The reducing side stays allowed when long at the limit.
    expect(checkQuoteSet([q('a', 'sell', '101', '0.5')], pos('1'), limits, false).approved).toHaveLength(1);
  });

  it('counts all same-side quotes as filling together, keeping the closest to the touch', () => {
    const r = checkQuoteSet([q('bid-1', 'buy', '98', '0.4'), q('bid-0', 'buy', '99', '0.4'), q('bid-2', 'buy', '97', '0.4')], pos('0'), limits, false);
    expect(r.approved.map((x) => x.slot)).toEqual(['bid-0', 'bid-1']);
    expect(r.rejects.map((x) => x.slot)).toEqual(['bid-2']);
  });

  it('short side mirrors the long side', () => {
    const r = checkQuoteSet([q('a', 'sell', '101', '0.5')], pos('-0.6'), limits, false);
    expect(r.rejects[0]).toMatchObject({ rule: 'max_position' });
  });

  it('halted rejects everything', () => {
    const r = checkQuoteSet([q('b', 'buy', '99', '0.1')], pos('0'), limits, true);
    expect(r.approved).toEqual([]);
    expect(r.rejects[0]!.rule).toBe('halted');
  });

  it('whatever is approved, all buys or all sells filling together stay within the limit (property)', () => {
    const lot = fc.integer({ min: 1, max: 800 }).map((n) => (n / 1000).toFixed(3));
    const quote = fc.record({ side: fc.constantFrom('buy' as const, 'sell' as const), price: fc.integer({ min: 90, max: 110 }).map(String), qty: lot });
    fc.assert(
      fc.property(fc.array(quote, { maxLength: 12 }), fc.integer({ min: -1000, max: 1000 }), (qs, p) => {
        const start = dec((p / 1000).toFixed(3));
        const quotes = qs.map((x, i) => q(`s-${i}`, x.side, x.price, x.qty));
        const { approved, rejects } = checkQuoteSet(quotes, start, limits, false);
        expect(approved.length + rejects.length).toBe(quotes.length);
        let long: Decimal = start;
        let short: Decimal = start;
        for (const a of approved) {
          expect(dec(a.qty) <= dec(limits.maxOrderSize)).toBe(true);
          if (a.side === 'buy') long = D.add(long, dec(a.qty));
          else short = D.sub(short, dec(a.qty));
        }
        const max = dec(limits.maxPosition);
        if (approved.some((a) => a.side === 'buy')) expect(long <= max).toBe(true);
        if (approved.some((a) => a.side === 'sell')) expect(short >= D.neg(max)).toBe(true);
      }),
    );
  });
});
