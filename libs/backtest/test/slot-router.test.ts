import { describe, expect, it } from 'vitest';
import type { WantedQuote } from '@perpetua/core';
import { SlotRouter } from '../src/index.js';

const q = (slot: string, side: 'buy' | 'sell', price: string): WantedQuote => ({ slot, side, price, qty: '0.01', postOnly: true });

describe('SlotRouter', () => {
  it('places once per slot, cancels a changed order and places the replacement only after the venue confirmed the cancel', () => {
    const log: string[] = [];
    const r = new SlotRouter('s-', { place: (o) => log.push(`place ${o.clientOrderId} ${o.side} ${o.price}`), cancel: (id) => log.push(`cancel ${id}`) });
    r.setWanted([q('bid-0', 'buy', '99'), q('ask-0', 'sell', '101')]);
    expect(log).toEqual(['place s-1 sell 101000000000000000000', 'place s-2 buy 99000000000000000000']);
    r.setWanted([q('bid-0', 'buy', '98'), q('ask-0', 'sell', '101')]);
    expect(log).toHaveLength(2); // s-2 not yet acknowledged: never cancelled blind
    r.onAccepted('s-1');
    r.onAccepted('s-2');
    expect(log.at(-1)).toBe('cancel s-2');
    expect(r.slotOf('s-2')).toBe('bid-0');
    r.setWanted([q('bid-0', 'buy', '97'), q('ask-0', 'sell', '101')]);
    expect(log).toHaveLength(3); // still cancelling: one cancel per order
    r.onGone('s-2');
    expect(log.at(-1)).toBe('place s-3 buy 97000000000000000000');
    expect(r.resting().map((x) => x.slot)).toEqual(['ask-0']);
    r.setWanted([]);
    expect(log.at(-1)).toBe('cancel s-1');
    expect([r.placed, r.cancels]).toEqual([3, 2]);
  });
});
