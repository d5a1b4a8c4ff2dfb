import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { D, dec, type Decimal, type WantedQuote } from '@perpetua/core';
import { fitToReplacementRoom } from '../src/runtime/replacement-room.js';
import type { RestingOrder } from '../src/runtime/resting-orders.js';

const q = (slot: string, side: 'buy' | 'sell', price: string, qty = '2'): WantedQuote => ({ slot, side, price, qty, postOnly: true });
const r = (slot: string, side: 'buy' | 'sell', price: string, qty = '2'): RestingOrder => ({ slot, clientOrderId: `c-${slot}`, side, price, qty, orderQty: qty, since: 0 });
const instrument = { lotSize: '0.001', minQty: '0.001' };
const fit = (wanted: WantedQuote[], resting: RestingOrder[], position: string, max = '10', pending: WantedQuote[] = []) =>
  fitToReplacementRoom({ wanted, resting, pending, position: dec(position), maxPosition: dec(max), instrument });

describe('new quotes sized to the room risk leaves while the orders they replace still rest', () => {
  it('long 4.69, two bids of 2 resting, both moving: 1.31 of room, the first new bid is cut to it and the second keeps its resting order', () => {
    const out = fit([q('bid-0-r', 'buy', '101'), q('bid-1-r', 'buy', '100'), q('ask-0', 'sell', '103')], [r('bid-0', 'buy', '100'), r('bid-1', 'buy', '99')], '4.69');
    expect(out).toEqual([q('bid-0-r', 'buy', '101', '1.31'), q('bid-1', 'buy', '99'), q('ask-0', 'sell', '103')]);
    // With nothing resting to keep, a quote with no room is left out.
    expect(fit([q('bid-0', 'buy', '101')], [], '10')).toEqual([]);
  });

  it('a wanted quote identical to its resting order takes no room; flat with nothing resting, nothing changes', () => {
    const wanted = [q('bid-0', 'buy', '100'), q('bid-1', 'buy', '99'), q('ask-0', 'sell', '102')];
    expect(fit(wanted, [r('bid-0', 'buy', '100'), r('bid-1', 'buy', '99')], '6')).toEqual(wanted);
    expect(fit(wanted, [], '0')).toEqual(wanted);
  });

  it('counts a short position against the sell side, and a cut below the lot minimum leaves the quote out', () => {
    expect(fit([q('ask-0-r', 'sell', '101')], [r('ask-0', 'sell', '102')], '-7.9995')).toEqual([q('ask-0', 'sell', '102')]); // the resting ask stays
    expect(fit([q('ask-0-r', 'sell', '101')], [r('ask-0', 'sell', '102')], '-8.5')).toEqual([]); // past the limit already: not kept
    expect(fit([q('ask-0-r', 'sell', '101')], [r('ask-0', 'sell', '102')], '-7.5')).toEqual([q('ask-0-r', 'sell', '101', '0.5')]);
  });

  it('a quote asked for and not yet confirmed counts like a resting one; a new quote in its own slot replaces it, so it is not counted twice', () => {
    // Long 2, bids of 2 rest at 100 and 99, bid-0's move to 101 is on its way: 10 − 2 − 4 − 2 leaves 2 for bid-1's move.
    const resting = [r('bid-0', 'buy', '100'), r('bid-1', 'buy', '99')];
    const pending = [q('bid-0', 'buy', '101')];
    expect(fit([q('bid-0', 'buy', '101'), q('bid-1-r', 'buy', '100', '3')], resting, '2', '10', pending)).toEqual([q('bid-0', 'buy', '101'), q('bid-1-r', 'buy', '100', '2')]);
    // bid-0 asked again at 102 in its slot: covers the 101 on its way (at most one of them can fill).
    expect(fit([q('bid-0', 'buy', '102'), q('bid-1-r', 'buy', '100')], resting, '2', '10', pending)).toEqual([q('bid-0', 'buy', '102'), q('bid-1-r', 'buy', '100')]);
    // A smaller one in the slot covers only its own size: the 2 on its way still counts for 2.
    expect(fit([q('bid-0', 'buy', '102', '1'), q('bid-1-r', 'buy', '100')], resting, '2', '10', pending)).toEqual([q('bid-0', 'buy', '102', '1'), q('bid-1-r', 'buy', '100')]);
    expect(fit([q('bid-0', 'buy', '102', '1'), q('bid-1-r', 'buy', '100')], resting, '3', '10', pending)).toEqual([q('bid-0', 'buy', '102', '1'), q('bid-1-r', 'buy', '100', '1')]);
  });

  it('property: position, everything resting and every new quote of a side stay within the limit whenever the side adds any', () => {
    const side = fc.constantFrom<'buy' | 'sell'>('buy', 'sell');
    const lot = fc.integer({ min: 1, max: 3000 }).map((n) => (n / 1000).toFixed(3));
    const slot = fc.constantFrom('bid-0', 'bid-0-r', 'bid-1', 'ask-0', 'ask-0-r', 'ask-1');
    const px = fc.integer({ min: 95, max: 105 }).map(String);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ slot, side, price: px, qty: lot }), { selector: (x) => x.slot, maxLength: 4 }),
        fc.uniqueArray(fc.record({ slot, side, price: px, qty: lot }), { selector: (x) => x.slot, maxLength: 4 }),
        fc.integer({ min: -9000, max: 9000 }),
        (w, rs, pos) => {
          const wanted = w.map((x) => q(x.slot, x.side, x.price, x.qty));
          const resting = rs.map((x) => r(x.slot, x.side, x.price, x.qty));
          const position = (pos / 1000).toFixed(3);
          const out = fit(wanted, resting, position);
          for (const s of ['buy', 'sell'] as const) {
            const added = out.filter((o) => o.side === s && !resting.some((x) => x.slot === o.slot && x.side === o.side && dec(x.price) === dec(o.price) && dec(x.qty) === dec(o.qty)));
            if (added.length === 0) continue;
            const sum = (xs: { qty: string }[]): Decimal => xs.reduce<Decimal>((a, x) => D.add(a, dec(x.qty)), D.ZERO);
            const toward = s === 'buy' ? dec(position) : D.neg(dec(position));
            expect(D.add(D.add(toward, sum(resting.filter((x) => x.side === s))), sum(added)) <= dec('10')).toBe(true);
          }
          // Never a size larger than asked, never a new slot: anything else is a resting order kept as it is.
          for (const o of out) {
            const asked = wanted.find((x) => x.slot === o.slot);
            const kept = resting.some((x) => x.slot === o.slot && x.side === o.side && x.price === o.price && x.qty === o.qty);
            if (asked && !kept) expect(dec(o.qty) <= dec(asked.qty)).toBe(true);
            else expect(kept).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
