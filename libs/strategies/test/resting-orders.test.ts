import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '@perpetua/core';
import { RestingOrders } from '../src/runtime/resting-orders.js';
import { OldestFirst } from '../src/runtime/oldest-first.js';

const event = (i: number): OrderEvent => ({
  venue: 'sim',
  account: 'a',
  symbol: 'BTC-PERP',
  clientOrderId: `mm-${i}`,
  side: i % 2 ? 'sell' : 'buy',
  price: '100',
  qty: '1',
  filledQty: '0',
  status: 'new',
  strategy: 'mm',
  slot: i % 2 ? 'ask-0' : 'bid-0',
  ts: i,
});

describe('resting orders', () => {
  it('remembers the last 1,024 client ids it saw, forgetting the oldest first', () => {
    const r = new RestingOrders('mm');
    for (let i = 0; i < 3_000; i++) {
      r.apply(event(i), new Map(), i);
      if (i % 2 === 0) r.apply(event(i), new Map(), i); // an id seen again is not remembered twice
    }
    for (let i = 0; i < 3_000; i++) expect(r.owner(`mm-${i}`) !== null).toBe(i >= 3_000 - 1_024);
    expect(r.owner('mm-2999')).toEqual({ slot: 'ask-0', side: 'sell' });
  });
});

describe('oldest first', () => {
  it('pushes out the oldest key once full, one per key added', () => {
    const ring = new OldestFirst<number>(3);
    const out = [1, 2, 3, 4, 5, 6, 7].map((k) => ring.add(k));
    expect(out).toEqual([undefined, undefined, undefined, 1, 2, 3, 4]);
    expect(() => new OldestFirst(0)).toThrow(RangeError);
  });
});
