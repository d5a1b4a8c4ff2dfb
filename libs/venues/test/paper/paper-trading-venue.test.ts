import { describe, expect, it } from 'vitest';
import { Instrument, type Fill, type OrderEvent } from '@perpetua/core';
import { constantLatency, riskAverseQueue } from '@perpetua/fills';
import { PaperTradingVenue, type PaperTradingOptions } from '../../src/index.js';

const BTC = Instrument.parse({ venue: 'v', symbol: 'BTC-PERP', venueSymbol: 'BTC', base: 'BTC', quote: 'USD', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', makerFee: -0.0001, takerFee: 0.0005 });

async function venue(options: PaperTradingOptions = {}) {
  const v = new PaperTradingVenue('v', 'a', [BTC], options);
  const fills: Fill[] = [];
  const events: OrderEvent[] = [];
  await v.start({ onFill: (f) => fills.push(f), onOrderEvent: (e) => events.push(e) });
  return { v, fills, events };
}

const limit = (id: string, side: 'buy' | 'sell', price: string, qty: string) => ({ clientOrderId: id, symbol: 'BTC-PERP', side, type: 'limit' as const, price, qty, tif: 'post_only' as const, reduceOnly: false });

describe('paper trading venue (fill model)', () => {
  it('a quote behind a large queue does not fill on the first small trade at its price', async () => {
    const { v, fills } = await venue();
    v.onBook('BTC-PERP', [[100, 5], [99.9, 3]], [[100.1, 2]]);
    expect(await v.placeOrder(limit('q1', 'buy', '100', '0.01'))).toEqual({ status: 'accepted', orderStatus: 'new' });
    expect(v.queueAhead('q1')).toBe(5);
    v.onTrade('BTC-PERP', 100, 0.5, 'sell');
    expect(fills).toEqual([]);
    expect(v.queueAhead('q1')).toBe(4.5);
    // Once trades have eaten the queue ahead, the next one reaches us.
    v.onTrade('BTC-PERP', 100, 4.505, 'sell');
    expect(fills.map((f) => [f.price, f.qty, f.liquidity, f.fee])).toEqual([['100', '0.005', 'maker', '-0.00005']]);
    v.onTrade('BTC-PERP', 100, 1, 'sell');
    expect(fills.map((f) => f.qty)).toEqual(['0.005', '0.005']);
    expect(await v.openOrders()).toEqual([]);
    expect(await v.positions()).toEqual([{ symbol: 'BTC-PERP', qty: '0.01', avgEntry: '100' }]);
  });

  it('the old paper venue filled that quote at once; a quote alone at a new price still fills on the first trade', async () => {
    const { v, fills } = await venue({ queue: riskAverseQueue });
    v.onBook('BTC-PERP', [[100, 5]], [[100.2, 2]]);
    await v.placeOrder(limit('q1', 'sell', '100.1', '0.01'));
    expect(v.queueAhead('q1')).toBe(0);
    v.onTrade('BTC-PERP', 100.1, 0.003, 'buy');
    expect(fills.map((f) => f.qty)).toEqual(['0.003']);
  });

  it('a cross fills at our price; a post-only order that would cross is rejected', async () => {
    const { v, fills, events } = await venue();
    v.onBook('BTC-PERP', [[100, 5]], [[100.2, 2]]);
    expect(await v.placeOrder(limit('x', 'buy', '100.2', '0.01'))).toEqual({ status: 'rejected', reason: 'post-only order would cross' });
    await v.placeOrder(limit('q', 'sell', '100.2', '0.01'));
    v.onBook('BTC-PERP', [[100.4, 1]], [[100.5, 2]]);
    expect(fills.map((f) => f.price)).toEqual(['100.2']);
    expect(events.map((e) => `${e.clientOrderId}:${e.status}`)).toEqual(['x:rejected', 'q:new', 'q:filled']);
  });

  it('a market order takes the visible levels', async () => {
    const { v, fills } = await venue();
    v.onBook('BTC-PERP', [[100, 5]], [[100.2, 0.004], [100.3, 1]]);
    const r = await v.placeOrder({ clientOrderId: 'm', symbol: 'BTC-PERP', side: 'buy', type: 'market', qty: '0.01', tif: 'ioc', reduceOnly: false });
    expect(r).toEqual({ status: 'accepted', orderStatus: 'filled' });
    expect(fills.map((f) => [f.price, f.qty, f.liquidity])).toEqual([
      ['100.2', '0.004', 'taker'],
      ['100.3', '0.006', 'taker'],
    ]);
  });

  it('with entry latency the order reaches the book late, behind what joined meanwhile; cancels take the latency too', async () => {
    const { v } = await venue({ latency: constantLatency({ entryMs: 40 }), queue: riskAverseQueue });
    v.onBook('BTC-PERP', [[100, 1]], [[100.2, 2]]);
    const started = Date.now();
    const placed = v.placeOrder(limit('q', 'buy', '100', '0.01'));
    v.onBook('BTC-PERP', [[100, 7]], [[100.2, 2]]); // the book moved on while our order travelled
    expect(await placed).toEqual({ status: 'accepted', orderStatus: 'new' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(39);
    expect(v.queueAhead('q')).toBe(7);
    const cancelStarted = Date.now();
    expect(await v.cancelOrder('BTC-PERP', 'q')).toBe(true);
    expect(Date.now() - cancelStarted).toBeGreaterThanOrEqual(39);
    expect(await v.openOrders()).toEqual([]);
  });
});
