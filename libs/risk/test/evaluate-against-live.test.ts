import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { D, ZERO, dec, type Decimal } from '@perpetua/core';
import { evaluateOrder } from '../src/evaluate-order.js';
import type { LiveOrder } from '../src/order-exposure-cache.js';
import { approvedSlots, loose, passes, q, ruleOf, run } from './helpers.js';

const live = (side: 'buy' | 'sell', price: string, qty: string, over: Partial<LiveOrder> = {}): LiveOrder => ({ side, price: dec(price), qty: dec(qty), inFlight: false, ...over });
const mine = (slot: string, side: 'buy' | 'sell', price: string, qty: string, inFlight = false): LiveOrder => live(side, price, qty, { strategy: 'mm', slot, inFlight });

describe('quote sets judged against what rests and is in flight', () => {
  it('an order still resting after a refused cancel counts: the new quote that would pass it over max position is refused', () => {
    // bid-0 was dropped by the last set, but its cancel failed: it still rests.
    const d = run([q('bid-1', 'buy', '99', '1')], { maxPosition: '1.5' }, { strategy: 'mm', live: [mine('bid-0', 'buy', '98', '1')] });
    expect(ruleOf(d, 'bid-1')).toBe('max_position');
    expect(run([q('bid-1', 'buy', '99', '0.5')], { maxPosition: '1.5' }, { strategy: 'mm', live: [mine('bid-0', 'buy', '98', '1')] }).approved).toHaveLength(1);
  });

  it('a quote identical to its own live order is that order: counted once, no placement', () => {
    const d = run([q('bid-0', 'buy', '98', '1')], { maxPosition: '1' }, { strategy: 'mm', live: [mine('bid-0', 'buy', '98', '1')], ordersAvailable: 0 });
    expect(approvedSlots(d)).toEqual(['bid-0']);
    expect(d.placements).toBe(0);
    // Identical but in flight: the same.
    expect(run([q('bid-0', 'buy', '98', '1')], { maxPosition: '1' }, { strategy: 'mm', live: [mine('bid-0', 'buy', '98', '1', true)] }).placements).toBe(0);
    // Another strategy's identical order is not ours: it counts on top.
    expect(ruleOf(run([q('bid-0', 'buy', '98', '1')], { maxPosition: '1' }, { strategy: 'mm', live: [live('buy', '98', '1', { strategy: 'arb', slot: 'bid-0' })] }), 'bid-0')).toBe('max_position');
  });

  it('a moved quote counts on top of the order it replaces until that one is confirmed cancelled', () => {
    const d = run([q('bid-0', 'buy', '98.5', '1')], { maxPosition: '1.5' }, { strategy: 'mm', live: [mine('bid-0', 'buy', '98', '1')] });
    expect(ruleOf(d, 'bid-0')).toBe('max_position');
  });

  it('a quote replacing its own still unconfirmed approval in the slot counts as the larger of the two; a confirmed order counts in full', () => {
    const approval = (qty: string) => live('buy', '98', qty, { strategy: 'mm', slot: 'bid-0', inFlight: true, approval: true });
    // At most one of them can be live (the router settles a slot's order before placing the next).
    expect(approvedSlots(run([q('bid-0', 'buy', '98.5', '1')], { maxPosition: '1' }, { strategy: 'mm', live: [approval('1')] }))).toEqual(['bid-0']);
    expect(ruleOf(run([q('bid-0', 'buy', '98.5', '1')], { maxPosition: '1' }, { strategy: 'mm', live: [approval('1.5')] }), 'bid-0')).toBe('max_position');
    // Pending at the venue (an event said so): it may fill before its cancel, then the new one too.
    expect(ruleOf(run([q('bid-0', 'buy', '98.5', '1')], { maxPosition: '1.5' }, { strategy: 'mm', live: [mine('bid-0', 'buy', '98', '1', true)] }), 'bid-0')).toBe('max_position');
  });

  it('a resting quote refused now still counts for the quotes after it: it rests until its cancel is confirmed', () => {
    // Position grew: bid-0 (kept) no longer fits, and bid-1 must not be approved as if bid-0 were gone.
    const d = run([q('bid-0', 'buy', '99', '1'), q('bid-1', 'buy', '98', '0.5')], { maxPosition: '1' }, { strategy: 'mm', position: dec('0.5'), live: [mine('bid-0', 'buy', '99', '1')] });
    expect(ruleOf(d, 'bid-0')).toBe('max_position');
    expect(ruleOf(d, 'bid-1')).toBe('max_position');
  });

  it('open orders: one per slot of a quote book, one per other order; in-flight orders count', () => {
    const others = [live('sell', '101', '1', { strategy: 'arb', slot: 'ask-0' }), live('buy', '99', '1', { inFlight: true })];
    // bid-0 moves (old order still live in the slot): the slot counts once.
    const d = run([q('bid-0', 'buy', '98.5'), q('ask-0', 'sell', '102')], { maxOpenOrders: 4 }, { strategy: 'mm', live: [...others, mine('bid-0', 'buy', '98', '1')] });
    expect(approvedSlots(d)).toEqual(['bid-0', 'ask-0']);
    const e = run([q('bid-0', 'buy', '98.5'), q('ask-0', 'sell', '102')], { maxOpenOrders: 3 }, { strategy: 'mm', live: [...others, mine('bid-0', 'buy', '98', '1')] });
    expect(approvedSlots(e)).toEqual(['bid-0']);
    expect(ruleOf(e, 'ask-0')).toBe('max_open_orders');
  });

  it('in-flight orders of other strategies count towards position and notional', () => {
    const d = run([q('bid-0', 'buy', '100', '1')], { maxPosition: '2', maxPositionNotional: '250' }, { strategy: 'mm', live: [live('buy', '100', '1', { inFlight: true })] });
    expect(approvedSlots(d)).toEqual(['bid-0']);
    expect(passes(run([q('bid-0', 'buy', '100', '1')], { maxPosition: '2', maxPositionNotional: '150' }, { strategy: 'mm', live: [live('buy', '100', '1', { inFlight: true })] }), 'bid-0', 'max_position_notional')).toBe(false);
  });
});

describe('immediate orders judged against what rests and is in flight', () => {
  const base = { position: ZERO, halted: false, now: 0 };
  it('a second leg that would pass max position if both filled is refused while the first is in flight', () => {
    const limits = { ...loose, maxPosition: '1.5' };
    const first = live('buy', '100', '1', { inFlight: true });
    expect(evaluateOrder({ side: 'buy', price: '100', qty: '1' }, { ...base, live: [first] }, limits)).toMatchObject({ approved: false, rule: 'max_position' });
    expect(evaluateOrder({ side: 'buy', price: '100', qty: '1' }, { ...base, live: [] }, limits)).toEqual({ approved: true });
    // The opposite side reduces: it passes.
    expect(evaluateOrder({ side: 'sell', price: '100', qty: '1' }, { ...base, live: [first] }, limits)).toEqual({ approved: true });
  });
});

// --- the worst case holds for any mix of live orders ---

const side = fc.constantFrom('buy' as const, 'sell' as const);
const lot = fc.integer({ min: 1, max: 900 }).map((n) => (n / 1000).toFixed(3));
const px = fc.integer({ min: 95, max: 105 }).map(String);
const liveArb = fc.array(
  fc
    .record({ side, price: px, qty: lot, own: fc.boolean(), slot: fc.constantFrom('bid-0', 'ask-0', 'bid-1', 'ask-1'), inFlight: fc.boolean(), approval: fc.boolean() })
    .map((o) => (o.own ? { ...mine(o.slot, o.side, o.price, o.qty, o.inFlight || o.approval), ...(o.approval ? { approval: true } : {}) } : live(o.side, o.price, o.qty, { inFlight: o.inFlight }))),
  { maxLength: 6 },
);
const setArb = fc.uniqueArray(fc.record({ slot: fc.constantFrom('bid-0', 'ask-0', 'bid-1', 'ask-1'), side, price: px, qty: lot }), { selector: (x) => x.slot, maxLength: 4 }).map((qs) => qs.map((x) => q(x.slot, x.side, x.price, x.qty)));

describe('worst case against live orders (property)', () => {
  it('what is approved plus every live order not approved as itself, all filling on one side, stays within max position', () => {
    fc.assert(
      fc.property(setArb, liveArb, fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 2000 }), (quotes, liveOrders, pos, max) => {
        const position = dec((pos / 1000).toFixed(3));
        const maxPosition = (max / 1000).toFixed(3);
        const d = run(quotes, { maxPosition }, { strategy: 'mm', position, live: liveOrders });
        // Every live order counts, except an own one an approved quote is identical to (that quote is it);
        // an approved quote replacing its own unconfirmed approval in the slot counts as the larger of the two.
        const remaining = [...liveOrders];
        const approvedQty = new Map<string, Decimal>();
        for (const a of d.approved) {
          const i = remaining.findIndex((o) => o.strategy === 'mm' && o.slot === a.slot && o.side === a.side && o.price === dec(a.price) && o.qty === dec(a.qty));
          if (i >= 0) remaining.splice(i, 1);
          approvedQty.set(a.slot, dec(a.qty));
        }
        for (const a of d.approved) {
          if (!liveOrders.some((o) => o.strategy === 'mm' && o.slot === a.slot && o.side === a.side && o.price === dec(a.price) && o.qty === dec(a.qty))) {
            const j = remaining.findIndex((o) => o.approval && o.strategy === 'mm' && o.slot === a.slot && o.side === a.side);
            if (j >= 0) approvedQty.set(a.slot, D.max(dec(a.qty), remaining.splice(j, 1)[0]!.qty));
          }
        }
        const sum = (s: 'buy' | 'sell'): Decimal =>
          [...remaining.filter((o) => o.side === s).map((o) => o.qty), ...d.approved.filter((a) => a.side === s).map((a) => approvedQty.get(a.slot)!)].reduce((x, y) => D.add(x, y), ZERO);
        const long = D.add(position, sum('buy'));
        const short = D.sub(position, sum('sell'));
        const m = dec(maxPosition);
        // With any buy approved, everything that could buy filling stays within max (likewise sells).
        if (d.approved.some((a) => a.side === 'buy')) expect(long <= m).toBe(true);
        if (d.approved.some((a) => a.side === 'sell')) expect(short >= D.neg(m)).toBe(true);
        expect(d.approved.length + d.rejects.length).toBe(quotes.length);
      }),
      { numRuns: 500 },
    );
  });
});
