import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { WantedQuote } from '@perpetua/core';
import { diffQuotes, type LiveSlotOrder } from '../src/quote-diff.js';

/** postOnly null: an order whose post-only-ness is not known (the field absent). */
const live = (slot: string, side: 'buy' | 'sell', price: string, qty: string, postOnly: boolean | null = true): LiveSlotOrder => ({
  slot,
  clientOrderId: `c-${slot}`,
  side,
  price,
  qty,
  ...(postOnly !== null ? { postOnly } : {}),
});
const want = (slot: string, side: 'buy' | 'sell', price: string, qty: string, postOnly = true): WantedQuote => ({ slot, side, price, qty, postOnly });

describe('diffQuotes with amends', () => {
  it('amends a slot whose order moved in price and/or qty, keeps an equal one, replaces a side or post-only change', () => {
    const d = diffQuotes(
      [live('bid-0', 'buy', '100', '1'), live('bid-1', 'buy', '99', '1'), live('ask-0', 'sell', '101', '1'), live('ask-1', 'sell', '102', '1'), live('ask-2', 'sell', '103', '1')],
      [want('bid-0', 'buy', '100.0', '1'), want('bid-1', 'buy', '98', '2'), want('ask-0', 'buy', '100', '1'), want('ask-1', 'sell', '102.5', '1', false), want('ask-3', 'sell', '104', '1')],
      { amend: true },
    );
    expect(d.keep.map((o) => o.slot)).toEqual(['bid-0']);
    expect(d.amend.map((a) => [a.order.slot, a.to.price, a.to.qty])).toEqual([['bid-1', '98', '2']]);
    expect(d.cancel.map((o) => o.slot).sort()).toEqual(['ask-0', 'ask-1', 'ask-2']);
    expect(d.place.map((q) => q.slot).sort()).toEqual(['ask-0', 'ask-1', 'ask-3']);
  });

  it('never amends without the option, nor an order whose post-only-ness is not known', () => {
    const orders = [live('bid-0', 'buy', '100', '1'), live('bid-1', 'buy', '99', '1', null)];
    const wanted = [want('bid-0', 'buy', '101', '1'), want('bid-1', 'buy', '98', '1')];
    expect(diffQuotes(orders, wanted).amend).toEqual([]);
    expect(diffQuotes(orders, wanted).cancel.map((o) => o.slot)).toEqual(['bid-0', 'bid-1']);
    const d = diffQuotes(orders, wanted, { amend: true });
    expect(d.amend.map((a) => a.order.slot)).toEqual(['bid-0']);
    expect(d.cancel.map((o) => o.slot)).toEqual(['bid-1']);
  });

  const slotArb = fc.constantFrom('bid-0', 'bid-1', 'bid-2', 'ask-0', 'ask-1', 'ask-2');
  const sideArb = fc.constantFrom<'buy' | 'sell'>('buy', 'sell');
  const priceArb = fc.constantFrom('99', '99.5', '100', '100.0', '101');
  const qtyArb = fc.constantFrom('1', '1.0', '2', '0.5');
  const liveArb = fc.array(fc.tuple(slotArb, sideArb, priceArb, qtyArb, fc.option(fc.boolean(), { nil: null })), { maxLength: 8 }).map((rows) =>
    rows.map(([slot, side, price, qty, postOnly], i) => ({ ...live(slot, side, price, qty, postOnly), clientOrderId: `c${i}` })),
  );
  const wantedArb = fc.uniqueArray(fc.tuple(slotArb, sideArb, priceArb, qtyArb, fc.boolean()), { selector: (r) => r[0], maxLength: 6 }).map((rows) =>
    rows.map(([slot, side, price, qty, postOnly]) => want(slot, side, price, qty, postOnly)),
  );

  it('property: every wanted slot ends up in exactly one of keep, amend and place', () => {
    fc.assert(
      fc.property(liveArb, wantedArb, fc.boolean(), (orders, wanted, amend) => {
        const d = diffQuotes(orders, wanted, { amend });
        for (const w of wanted) {
          const n = d.keep.filter((o) => o.slot === w.slot).length + d.amend.filter((a) => a.order.slot === w.slot).length + d.place.filter((q) => q.slot === w.slot).length;
          expect(n).toBe(1);
        }
        const slots = new Set(wanted.map((w) => w.slot));
        for (const o of [...d.keep, ...d.amend.map((a) => a.order)]) expect(slots.has(o.slot)).toBe(true);
        if (!amend) expect(d.amend).toEqual([]);
      }),
    );
  });

  it('property: every live order is in exactly one of keep, amend and cancel; none both amended and cancelled', () => {
    fc.assert(
      fc.property(liveArb, wantedArb, (orders, wanted) => {
        const d = diffQuotes(orders, wanted, { amend: true });
        const amended = new Set(d.amend.map((a) => a.order.clientOrderId));
        for (const o of d.cancel) expect(amended.has(o.clientOrderId)).toBe(false);
        const ids = [...d.keep, ...d.amend.map((a) => a.order), ...d.cancel].map((o) => o.clientOrderId).sort();
        expect(ids).toEqual(orders.map((o) => o.clientOrderId).sort());
        // A slot that keeps or amends its order is never also placed (no second live order for it).
        for (const a of d.amend) {
          expect(a.to.side).toBe(a.order.side);
          expect(a.to.postOnly).toBe(a.order.postOnly);
          expect(d.place.some((q) => q.slot === a.order.slot)).toBe(false);
        }
      }),
    );
  });
});
