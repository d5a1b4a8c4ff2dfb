import { describe, expect, it } from 'vitest';
import { D, type OrderEvent, type WantedQuote } from '@perpetua/core';
import { OrderExposureCache } from '../src/order-exposure-cache.js';

const T0 = 1_700_000_000_000;
const V = 'sim';
const A = 'acct';
const S = 'BTC-PERP';

const quote = (slot: string, side: 'buy' | 'sell', price: string, qty: string): WantedQuote => ({ slot, side, price, qty, postOnly: true });
const approve = (c: OrderExposureCache, intentId: string, quotes: WantedQuote[], strategy = 'mm') => c.approveQuotes({ venue: V, account: A, symbol: S, strategy, intentId, quotes }, T0);
const drop = (c: OrderExposureCache, intentIds: string[], strategy = 'mm') => c.dropSkipped({ venue: V, account: A, symbol: S, strategy, intentIds });
const inFlight = (c: OrderExposureCache) => {
  const e = c.exposure(V, A, S, T0);
  return { buy: D.toText(e.inFlightBuy), sell: D.toText(e.inFlightSell), openOrders: e.openOrders };
};
const shown = (slot: string, side: 'buy' | 'sell', price: string, qty: string): OrderEvent => ({
  venue: V, account: A, symbol: S, clientOrderId: `${slot}-${price}`, side, price, qty, filledQty: '0', status: 'new', ts: T0, strategy: 'mm', slot,
});

describe('OrderExposureCache: quote sets the router skipped', () => {
  it("a skipped set's approvals stop counting at once, in every slot; the taken set's still count", () => {
    const c = new OrderExposureCache();
    // The make-before-break flip: bid-0 and bid-0-r alternate, each set asking 3 per side.
    approve(c, 'mm-1', [quote('bid-0', 'buy', '99', '3'), quote('ask-0', 'sell', '101', '3')]);
    approve(c, 'mm-2', [quote('bid-0-r', 'buy', '98.9', '3'), quote('ask-0', 'sell', '101.1', '3')]);
    approve(c, 'mm-3', [quote('bid-0', 'buy', '98.8', '3'), quote('ask-0', 'sell', '101.2', '3')]);
    expect(inFlight(c)).toEqual({ buy: '6', sell: '3', openOrders: 3 }); // bid-0 latest + bid-0-r; ask-0 the largest once
    expect(c.size.approvals).toBe(6);

    drop(c, ['mm-1', 'mm-2']); // the router took mm-3, skipping the two before it
    expect(inFlight(c)).toEqual({ buy: '3', sell: '3', openOrders: 2 });
    expect(c.size.approvals).toBe(2);

    // mm-3 was taken: it counts until its events show it, as before.
    c.applyEvent(shown('bid-0', 'buy', '98.8', '3'));
    c.applyEvent(shown('ask-0', 'sell', '101.2', '3'));
    expect(inFlight(c)).toEqual({ buy: '0', sell: '0', openOrders: 2 });
    expect(c.size.approvals).toBe(0);
  });

  it('an approval another set also asked for stays, owed to that set', () => {
    const c = new OrderExposureCache();
    approve(c, 'mm-1', [quote('bid-0', 'buy', '99', '2')]);
    approve(c, 'mm-2', [quote('bid-0', 'buy', '99', '2')]); // the same quote asked again
    expect(c.size.approvals).toBe(1);
    drop(c, ['mm-2']); // the router took mm-1, then skipped mm-2: mm-1's quote may still be placed
    expect(inFlight(c)).toEqual({ buy: '2', sell: '0', openOrders: 1 });
    drop(c, ['mm-1']);
    expect(inFlight(c)).toEqual({ buy: '0', sell: '0', openOrders: 0 });
    expect(c.size.approvals).toBe(0);
  });

  it('unknown ids, other strategies and other books are left alone', () => {
    const c = new OrderExposureCache();
    approve(c, 'mm-1', [quote('bid-0', 'buy', '99', '1')]);
    approve(c, 'mm-1', [quote('ask-0', 'sell', '101', '1')], 'other');
    drop(c, ['mm-9', 'nope']);
    drop(c, []);
    drop(c, ['mm-1'], 'ghost');
    c.dropSkipped({ venue: V, account: 'elsewhere', symbol: S, strategy: 'mm', intentIds: ['mm-1'] });
    expect(inFlight(c)).toEqual({ buy: '1', sell: '1', openOrders: 2 });
    expect(c.size.approvals).toBe(2);
    drop(c, ['mm-1']); // only mm's, not the other strategy's set of the same id
    expect(inFlight(c)).toEqual({ buy: '0', sell: '1', openOrders: 1 });
    expect(c.size.approvals).toBe(1);
  });

  it('counts stay right through drops, confirmations, timeouts and the per-slot cap', () => {
    const c = new OrderExposureCache({ quoteInFlightTimeoutMs: 1000 });
    for (let i = 1; i <= 20; i++) c.approveQuotes({ venue: V, account: A, symbol: S, strategy: 'mm', intentId: `mm-${i}`, quotes: [quote('bid-0', 'buy', String(90 + i), '1')] }, T0 + i);
    expect(c.size.approvals).toBe(16); // the slot keeps 16
    drop(c, ['mm-1', 'mm-5', 'mm-6', 'mm-7']); // mm-1 already went with the cap
    expect(c.size.approvals).toBe(13);
    c.applyEvent(shown('bid-0', 'buy', '100', '1')); // mm-10 shown: it and the older ones settle
    expect(c.size.approvals).toBe(10);
    drop(c, ['mm-20']);
    expect(inFlight(c)).toMatchObject({ buy: '1', openOrders: 1 }); // mm-19 is the latest now
    expect(c.size.approvals).toBe(9);
    c.expire(T0 + 5000);
    expect(c.size.approvals).toBe(0);
    drop(c, ['mm-19']); // after they expired: harmless
    expect(c.size.approvals).toBe(0);
  });
});
