import { describe, expect, it } from 'vitest';
import type { DepthMessage, TradeMessage } from '@perpetua/core';
import { OwnOrderFilter } from '../src/own-order-filter.js';

const depth = (venueSeq: number, bids: Array<[number, number]>, asks: Array<[number, number]>, type: 'snapshot' | 'delta' = 'snapshot'): DepthMessage => ({
  venue: 'v',
  symbol: 'BTC-PERP',
  type,
  bids,
  asks,
  venueSeq,
  tsExchange: 1,
  tsReceived: 2,
});
const trade = (tradeId: string, symbol = 'BTC-PERP'): TradeMessage => ({ venue: 'v', symbol, tradeId, price: 100, size: 1, side: 'sell', tsExchange: 1, tsReceived: 2, tsPublished: 2 });

describe('OwnOrderFilter', () => {
  it('takes our resting size out of a snapshot as it stood at its sequence number, and drops a level that was only ours', () => {
    const f = new OwnOrderFilter('BTC-PERP', 0.001);
    f.onBookSeq(1);
    f.onOrder({ orderId: 'a', side: 'buy', price: 99.9, resting: 0.01 });
    f.onOrder({ orderId: 'b', side: 'sell', price: 100.1, resting: 0.01 });
    f.onBookSeq(5);
    f.onOrder({ orderId: 'a', side: 'buy', price: 99.9, resting: 0.004 }); // partly filled
    f.onBookSeq(9);
    f.onOrder({ orderId: 'b', side: 'sell', price: 100.1, resting: 0 }); // cancelled
    f.onBookSeq(12);
    // Before our orders: untouched.
    expect(f.depth(depth(3, [[99.9, 1]], [[100.1, 0.01]]))).toEqual(depth(3, [[99.9, 1]], [[100.1, 0.01]]));
    // At 5..8: both whole; the ask level was ours alone and goes.
    expect(f.depth(depth(7, [[99.9, 0.5]], [[100.1, 0.01], [100.2, 2]]))).toEqual(depth(7, [[99.9, 0.49]], [[100.2, 2]]));
    // At 9..11: the bid's rest.
    expect(f.depth(depth(11, [[99.9, 0.5]], [[100.1, 0.3]]))).toEqual(depth(11, [[99.9, 0.496]], [[100.1, 0.29]]));
    // From 12: only the bid's rest.
    expect(f.depth(depth(20, [[99.9, 0.5]], [[100.1, 0.3]]))).toEqual(depth(20, [[99.9, 0.496]], [[100.1, 0.3]]));
  });

  it('keeps a level that empties in a delta as a deletion, and never leaves a negative size', () => {
    const f = new OwnOrderFilter('BTC-PERP', 0.001);
    f.onOrder({ orderId: 'a', side: 'buy', price: 99.9, resting: 0.02 });
    f.onBookSeq(2);
    expect(f.depth(depth(2, [[99.9, 0.01]], [], 'delta')).bids).toEqual([[99.9, 0]]);
  });

  it('drops the trades that filled us, on our symbol only', () => {
    const f = new OwnOrderFilter('BTC-PERP', 0.001);
    f.onOwnTrade('17');
    expect(f.keepTrade(trade('17'))).toBe(false);
    expect(f.keepTrade(trade('18'))).toBe(true);
    expect(f.keepTrade(trade('17', 'ETH-PERP'))).toBe(true);
    expect(f.ownTradeCount).toBe(1);
  });

  it('passes other symbols and messages without a sequence number as they are', () => {
    const f = new OwnOrderFilter('BTC-PERP', 0.001);
    f.onOrder({ orderId: 'a', side: 'buy', price: 99.9, resting: 0.02 });
    f.onBookSeq(1);
    const eth = { ...depth(2, [[99.9, 1]], []), symbol: 'ETH-PERP' };
    expect(f.depth(eth)).toBe(eth);
    const noSeq = { ...depth(2, [[99.9, 1]], []), venueSeq: undefined };
    expect(f.depth(noSeq)).toBe(noSeq);
  });
});
