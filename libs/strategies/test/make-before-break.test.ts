import { describe, expect, it } from 'vitest';
import { dec, type WantedQuote } from '@perpetua/core';
import { planBeforeBreak } from '../src/runtime/make-before-break.js';
import type { RestingOrder } from '../src/runtime/resting-orders.js';

const q = (slot: string, side: 'buy' | 'sell', price: string, qty = '2'): WantedQuote => ({ slot, side, price, qty, postOnly: true });
const r = (slot: string, side: 'buy' | 'sell', price: string, qty = '2'): RestingOrder => ({ slot, clientOrderId: `c-${slot}`, side, price, qty, orderQty: qty, since: 0 });

const published = new Map([q('bid-0', 'buy', '100'), q('bid-1', 'buy', '99'), q('ask-0', 'sell', '102')].map((x) => [x.slot, x]));
const resting = [r('bid-0', 'buy', '100'), r('bid-1', 'buy', '99'), r('ask-0', 'sell', '102')];

describe('make_before_break within the worst case', () => {
  it('moves a quote to the twin slot while old and new resting together stay within the limit', () => {
    const plan = planBeforeBreak({ wanted: [q('bid-0', 'buy', '101'), q('bid-1', 'buy', '99'), q('ask-0', 'sell', '102')], published, resting, renamed: new Set(), position: dec('0'), maxPosition: dec('10') });
    expect(plan.quotes.map((x) => x.slot)).toEqual(['bid-0-r', 'bid-1', 'ask-0']);
    expect([...plan.renamed]).toEqual(['bid-0']);
    // And back: the next move of that slot returns to its base name.
    const again = planBeforeBreak({ wanted: [q('bid-0-r', 'buy', '102')], published: new Map([['bid-0-r', q('bid-0-r', 'buy', '101')]]), resting: [r('bid-0-r', 'buy', '101')], renamed: plan.renamed, position: dec('0'), maxPosition: dec('10') });
    expect(again.quotes[0]!.slot).toBe('bid-0');
    expect(again.renamed.size).toBe(0);
  });

  it('replaces in place on a side whose worst case would pass the limit: long 5, 4 resting bids, both moving', () => {
    // New bids 4 + old bids still resting 4 + position 5 = 13 > 10: the bids keep their slots; the ask side is free to move.
    const plan = planBeforeBreak({ wanted: [q('bid-0', 'buy', '101'), q('bid-1', 'buy', '100'), q('ask-0', 'sell', '103')], published, resting, renamed: new Set(), position: dec('5'), maxPosition: dec('10') });
    expect(plan.quotes.map((x) => x.slot)).toEqual(['bid-0', 'bid-1', 'ask-0-r']);
    expect([...plan.renamed]).toEqual(['ask-0']);
  });

  it('a side replacing in place moves one order at a time: the other keeps its asked quote and rests on', () => {
    const wanted = [q('bid-0', 'buy', '101'), q('bid-1', 'buy', '100'), q('ask-0', 'sell', '102')];
    const plan = planBeforeBreak({ wanted, published, resting, renamed: new Set(), position: dec('5'), maxPosition: dec('10') });
    expect(plan.quotes.map((x) => `${x.slot}@${x.price}`)).toEqual(['bid-0@101', 'bid-1@99', 'ask-0@102']);
    // While a bid is still on its way, no resting bid is replaced in place (the one on its way may be the side's only order).
    const waiting = planBeforeBreak({ wanted, published, resting: [r('bid-1', 'buy', '99'), r('ask-0', 'sell', '102')], pending: [q('bid-0', 'buy', '100')], renamed: new Set(), position: dec('5'), maxPosition: dec('10') });
    expect(waiting.quotes.map((x) => `${x.slot}@${x.price}`)).toEqual(['bid-0@100', 'bid-1@99', 'ask-0@102']);
    // With another bid resting untouched, the moving one goes at once.
    const anchored = planBeforeBreak({ wanted: [q('bid-0', 'buy', '101'), q('bid-1', 'buy', '99'), q('ask-0', 'sell', '102')], published, resting, renamed: new Set(), position: dec('5'), maxPosition: dec('10') });
    expect(anchored.quotes.map((x) => `${x.slot}@${x.price}`)).toEqual(['bid-0@101', 'bid-1@99', 'ask-0@102']);
  });

  it('counts the sell side against a short position the same way', () => {
    const plan = planBeforeBreak({ wanted: [q('ask-0', 'sell', '103', '4')], published, resting: [r('ask-0', 'sell', '102', '4')], renamed: new Set(), position: dec('-3'), maxPosition: dec('10') });
    expect(plan.quotes[0]!.slot).toBe('ask-0'); // 3 + 4 + 4 = 11 > 10
    const room = planBeforeBreak({ wanted: [q('ask-0', 'sell', '103', '4')], published, resting: [r('ask-0', 'sell', '102', '4')], renamed: new Set(), position: dec('-2'), maxPosition: dec('10') });
    expect(room.quotes[0]!.slot).toBe('ask-0-r'); // 2 + 4 + 4 = 10
  });

  it('a quote still on its way (not confirmed, not closed) that moves takes the twin too: the router may be placing it', () => {
    const asked = new Map([['ask-0', q('ask-0', 'sell', '102')]]);
    const plan = planBeforeBreak({ wanted: [q('ask-0', 'sell', '103')], published: asked, resting: [], pending: [q('ask-0', 'sell', '102')], renamed: new Set(), position: dec('0'), maxPosition: dec('10') });
    expect(plan.quotes[0]!.slot).toBe('ask-0-r');
    // Counted in the worst case as a resting order is: short 7, 2 on its way and 2 new pass 10, so it stays in place.
    const full = planBeforeBreak({ wanted: [q('ask-0', 'sell', '103')], published: asked, resting: [], pending: [q('ask-0', 'sell', '102')], renamed: new Set(), position: dec('-7'), maxPosition: dec('10') });
    expect(full.quotes[0]!.slot).toBe('ask-0');
  });

  it('a new size at the same price goes through the twin as a new price does', () => {
    const plan = planBeforeBreak({ wanted: [q('bid-0', 'buy', '100', '1.5')], published, resting, renamed: new Set(), position: dec('0'), maxPosition: dec('10') });
    expect(plan.quotes[0]!.slot).toBe('bid-0-r');
  });

  it('leaves a quote that did not move, or has nothing resting, where it is', () => {
    const plan = planBeforeBreak({ wanted: [q('bid-0', 'buy', '100'), q('bid-2', 'buy', '98')], published, resting, renamed: new Set(['ask-0']), position: dec('0'), maxPosition: dec('10') });
    expect(plan.quotes.map((x) => x.slot)).toEqual(['bid-0', 'bid-2']);
    expect([...plan.renamed]).toEqual(['ask-0']);
  });
});
