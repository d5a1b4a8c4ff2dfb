import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { D, ZERO, dec, type Decimal } from '@perpetua/core';
import type { LiveOrder } from '../src/order-exposure-cache.js';
import { q, ruleOf, run } from './helpers.js';

const resting = (slot: string, side: 'buy' | 'sell', price: string, qty: string, over: Partial<LiveOrder> = {}): LiveOrder => ({
  side,
  price: dec(price),
  qty: dec(qty),
  inFlight: false,
  strategy: 'mm',
  slot,
  ...over,
});

describe('a move refused by max_position keeps the order it would replace', () => {
  it('a make-before-break move (bid-0 -> bid-0-r) refused: bid-0 stays in the set as it rests, and nothing else changes', () => {
    // Position 4.69 long, bid-0 resting 2 at 98: moving it to 98.5 would count 4.69 + 2 + 2 > 7; keeping it, 6.69.
    const d = run([q('bid-0-r', 'buy', '98.5', '2')], { maxPosition: '7' }, { strategy: 'mm', position: dec('4.69'), live: [resting('bid-0', 'buy', '98', '2')] });
    expect(ruleOf(d, 'bid-0-r')).toBe('max_position');
    expect(d.approved).toEqual([]);
    expect(d.keep).toEqual([{ slot: 'bid-0', side: 'buy', price: '98', qty: '2', postOnly: true }]);
    expect(d.placements).toBe(0);
  });

  it('an in-place move refused keeps the slot at its resting price and full placed size (a partly filled order)', () => {
    const d = run([q('ask-1', 'sell', '101.5', '2')], { maxPosition: '5' }, {
      strategy: 'mm',
      position: dec('-2'),
      live: [resting('ask-1', 'sell', '102', '1.25', { orderQty: dec('2') })],
    });
    expect(ruleOf(d, 'ask-1')).toBe('max_position');
    expect(d.keep).toEqual([{ slot: 'ask-1', side: 'sell', price: '102', qty: '2', postOnly: true }]);
  });

  it('keeps nothing when the resting orders themselves take the worst case past the limit, when unconfirmed, or another strategy holds it', () => {
    // Position 5 + resting 2 = 7 > 6: the resting bid must go.
    expect(run([q('bid-0-r', 'buy', '98.5', '2')], { maxPosition: '6' }, { strategy: 'mm', position: dec('5'), live: [resting('bid-0', 'buy', '98', '2')] }).keep).toEqual([]);
    // Pending at the venue, not confirmed resting.
    expect(run([q('bid-0-r', 'buy', '98.5', '2')], { maxPosition: '5' }, { strategy: 'mm', position: dec('2'), live: [resting('bid-0', 'buy', '98', '2', { inFlight: true })] }).keep).toEqual([]);
    // Another strategy's order in a slot of that name.
    expect(run([q('bid-0-r', 'buy', '98.5', '2')], { maxPosition: '5' }, { strategy: 'mm', position: dec('2'), live: [resting('bid-0', 'buy', '98', '2', { strategy: 'arb' })] }).keep).toEqual([]);
    // Refused for another rule (size): the move is not refused for exposure, nothing kept.
    expect(run([q('bid-0-r', 'buy', '98.5', '20')], { maxPosition: '50', maxOrderSize: '5' }, { strategy: 'mm', live: [resting('bid-0', 'buy', '98', '2')] }).keep).toEqual([]);
  });

  it('property: what is kept adds nothing to the worst case — approved plus everything live stays within max on each side that keeps', () => {
    const side = fc.constantFrom<'buy' | 'sell'>('buy', 'sell');
    const slot = fc.constantFrom('bid-0', 'bid-0-r', 'ask-0', 'ask-0-r', 'bid-1', 'ask-1');
    const lot = fc.integer({ min: 1, max: 3000 }).map((n) => (n / 1000).toFixed(3));
    const px = fc.integer({ min: 90, max: 110 }).map(String);
    const liveArb = fc.uniqueArray(fc.record({ slot, side, price: px, qty: lot }), { selector: (o) => o.slot, maxLength: 4 }).map((os) => os.map((o) => resting(o.slot, o.side, o.price, o.qty)));
    const setArb = fc.uniqueArray(fc.record({ slot, side, price: px, qty: lot }), { selector: (o) => o.slot, maxLength: 4 }).map((qs) => qs.map((x) => q(x.slot, x.side, x.price, x.qty)));
    fc.assert(
      fc.property(setArb, liveArb, fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: 1, max: 6000 }), (quotes, live, pos, max) => {
        const position = dec((pos / 1000).toFixed(3));
        const m = dec((max / 1000).toFixed(3));
        const d = run(quotes, { maxPosition: (max / 1000).toFixed(3) }, { strategy: 'mm', position, live });
        expect(d.approved.length + d.rejects.length).toBe(quotes.length);
        for (const k of d.keep) {
          // Each kept quote is a live order of ours as it rests, in a slot no approved quote uses.
          expect(live.some((o) => o.slot === k.slot && o.side === k.side && o.price === dec(k.price) && o.qty === dec(k.qty))).toBe(true);
          expect(d.approved.some((a) => a.slot === k.slot)).toBe(false);
          const sum = (s: 'buy' | 'sell'): Decimal => [...live.filter((o) => o.side === s).map((o) => o.qty), ...d.approved.filter((a) => a.side === s).map((a) => dec(a.qty))].reduce((x, y) => D.add(x, y), ZERO);
          if (k.side === 'buy') expect(D.add(position, sum('buy')) <= m).toBe(true);
          else expect(D.sub(position, sum('sell')) >= D.neg(m)).toBe(true);
        }
        expect(new Set(d.keep.map((k) => k.slot)).size).toBe(d.keep.length);
      }),
      { numRuns: 1000 },
    );
  });
});
