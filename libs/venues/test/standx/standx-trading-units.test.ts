import { describe, expect, it } from 'vitest';
import { StandxFillLedger } from '../../src/standx/standx-fill-ledger.js';
import { StandxOrderTracker } from '../../src/standx/standx-order-tracker.js';
import fc from 'fast-check';
import { StandxSequenceWatch } from '../../src/standx/standx-sequence-watch.js';
import { liquidityOf, orderStatusOf, standxTif, toFill, tradeKeysOf } from '../../src/standx/standx-trading-map.js';
import { StandxOrder, StandxPostReply, StandxTrade } from '../../src/standx/standx-trading-wire.js';

/** The pure parts of the StandX trading adapter: status mapping, maker/taker, order tracking, fill de-duplication. */
const order = (o: Partial<StandxOrder>): StandxOrder => ({
  id: 1,
  cl_ord_id: 'c-1',
  symbol: 'BTC-USD',
  side: 'buy',
  order_type: 'limit',
  price: '100000.00',
  qty: '0.0100',
  fill_qty: '0',
  status: 'open',
  time_in_force: 'gtc',
  updated_at: '2026-01-01T00:00:00.000Z',
  ...o,
});
const trade = (t: Partial<StandxTrade>): StandxTrade => ({
  id: 7,
  order_id: 1,
  symbol: 'BTC-USD',
  side: 'buy',
  price: '100000.00',
  qty: '0.0100',
  fee_qty: '0.4',
  value: '1000',
  created_at: '2026-01-01T00:00:00.000Z',
  ...t,
});
const FEES = { maker: 0.0001, taker: 0.0004 };

describe('StandX trading: mapping', () => {
  it('maps StandX statuses, telling new from partly filled by fill_qty', () => {
    expect(orderStatusOf(order({ status: 'open' }))).toBe('new');
    expect(orderStatusOf(order({ status: 'new' }))).toBe('new');
    expect(orderStatusOf(order({ status: 'open', fill_qty: '0.0040' }))).toBe('partially_filled');
    expect(orderStatusOf(order({ status: 'filled', fill_qty: '0.0100' }))).toBe('filled');
    expect(orderStatusOf(order({ status: 'canceled' }))).toBe('canceled');
    expect(orderStatusOf(order({ status: 'rejected' }))).toBe('rejected');
    expect(orderStatusOf(order({ status: 'untriggered' }))).toBe('pending');
    expect([standxTif('gtc'), standxTif('ioc'), standxTif('post_only'), standxTif('fok')]).toEqual(['gtc', 'ioc', 'alo', undefined]);
  });

  it('derives maker/taker: alo makes, market/ioc take, gtc by the nearer fee rate, a rebate makes', () => {
    expect(liquidityOf(trade({ fee_qty: '0.4' }), { tif: 'alo' }, FEES)).toBe('maker');
    expect(liquidityOf(trade({ fee_qty: '0.1' }), { type: 'market', tif: 'ioc' }, FEES)).toBe('taker');
    expect(liquidityOf(trade({ fee_qty: '0.1' }), { tif: 'gtc' }, FEES)).toBe('maker');
    expect(liquidityOf(trade({ fee_qty: '0.4' }), { tif: 'gtc' }, FEES)).toBe('taker');
    expect(liquidityOf(trade({ fee_qty: '-0.025' }), undefined, FEES)).toBe('maker');
    // On a maker tier (taker 2 bps, maker rebate), with the account's rates configured.
    const mm2 = { maker: -0.00005, taker: 0.0002 };
    expect(liquidityOf(trade({ fee_qty: '0.2' }), { tif: 'gtc' }, mm2)).toBe('taker');
    expect(liquidityOf(trade({ fee_qty: '-0.05' }), { tif: 'gtc' }, mm2)).toBe('maker');
  });
});

describe('StandX trading: order tracker', () => {
  it('emits each news once, ignores stale updates and anything after a final state', () => {
    const t = new StandxOrderTracker('standx', 'mm');
    t.sending('c-1', 'limit', 'gtc');
    expect(t.apply(order({}), 1)?.status).toBe('new');
    expect(t.apply(order({}), 2)).toBeUndefined(); // the same news from a query
    expect(t.apply(order({ fill_qty: '0.0050' }), 3)).toMatchObject({ status: 'partially_filled', filledQty: '0.005' });
    expect(t.apply(order({ fill_qty: '0' }), 4)).toBeUndefined(); // older than what we know
    expect(t.apply(order({ status: 'filled', fill_qty: '0.0100' }), 5)?.status).toBe('filled');
    expect(t.apply(order({ status: 'canceled', fill_qty: '0.0100' }), 6)).toBeUndefined();
  });

  it('keeps a live order when the venue refuses a second order with its client id', () => {
    const t = new StandxOrderTracker('standx', 'mm');
    t.apply(order({ id: 1 }), 1);
    expect(t.apply(order({ id: 4_000_000_000_000_000, status: 'rejected', remark: 'duplicate cl_ord_id' }), 2)).toBeUndefined();
    expect(t.get('c-1')?.status).toBe('new');
  });

  it('resolves a waiter when the order becomes final, and times out otherwise', async () => {
    const t = new StandxOrderTracker('standx', 'mm');
    t.apply(order({}), 1);
    const waiting = t.whenFinal('c-1', 1_000);
    t.apply(order({ status: 'canceled' }), 2);
    expect(await waiting).toBe('canceled');
    expect(await t.whenFinal('other', 20)).toBeUndefined();
  });
});

describe('StandX trading: fill ledger', () => {
  it('claims each trade id once and tracks the highest', () => {
    const l = new StandxFillLedger();
    const k = (id: number) => tradeKeysOf(trade({ id, created_at: `2026-01-01T00:00:0${id}.000Z` }));
    expect(l.claim(k(5), 5)).toBe(true);
    expect(l.claim(k(9), 9)).toBe(true);
    expect(l.claim(k(5), 5)).toBe(false);
    expect(l.claim(k(7), 7)).toBe(true);
    expect(l.highWater).toBe(9n);
    expect(l.has(k(7))).toBe(true);
  });

  it('knows a trade told without an id (stream) and with one (query_trades) as one trade, by order, time, price and size', () => {
    const l = new StandxFillLedger();
    const bare = trade({ id: undefined });
    expect(tradeKeysOf(bare)).toHaveLength(1);
    expect(l.claim(tradeKeysOf(bare), bare.id)).toBe(true);
    expect(l.highWater).toBeUndefined();
    expect(l.claim(tradeKeysOf(trade({ id: 7 })), 7)).toBe(false);
    // Another trade of the same order at the same time and price but another size is another trade.
    expect(l.claim(tradeKeysOf(trade({ id: undefined, qty: '0.0200' })), undefined)).toBe(true);
    // Padding does not make two trades of one: decimals are compared canonically.
    expect(l.has(tradeKeysOf(trade({ id: undefined, price: '100000.0' })))).toBe(true);
    expect(tradeKeysOf(trade({ id: undefined, created_at: undefined }))).toEqual([]);
  });
});

describe('StandX trading: trade records the docs leave open', () => {
  it('fills a trade without id, side, fee or time from the order and the account rates, with a stable fill id', () => {
    const bare = StandxTrade.parse({ order_id: 42, symbol: 'BTC-USD', price: '100000.00', qty: '0.0100' });
    const ctx = { venue: 'standx', account: 'a', clientOrderId: 'c-42', liquidity: 'maker' as const, now: 1_000, side: 'sell' as const, feeRate: 0.0001 };
    const f = toFill(bare, ctx);
    expect(f).toMatchObject({ side: 'sell', price: '100000', qty: '0.01', fee: '0.1', tsExchange: 1_000, venueOrderId: '42' });
    expect(toFill(bare, ctx).fillId).toBe(f.fillId);
    expect(liquidityOf(bare, { tif: 'gtc' }, FEES)).toBe('taker');
    // Documented fields win over the fallbacks.
    expect(toFill(trade({}), ctx)).toMatchObject({ fillId: '7', side: 'buy', fee: '0.4', tsExchange: Date.parse('2026-01-01T00:00:00.000Z') });
    // What a fill cannot be without is still required.
    expect(StandxTrade.safeParse({ symbol: 'BTC-USD', price: '1', qty: '1' }).success).toBe(false);
  });

  it('accepts new, partially_filled, expired and untriggered, and a bare array as a POST reply', () => {
    expect(orderStatusOf(order({ status: 'partially_filled', fill_qty: '0.0040' }))).toBe('partially_filled');
    expect(orderStatusOf(order({ status: 'expired' }))).toBe('expired');
    expect(StandxOrder.safeParse(order({ status: 'expired' })).success).toBe(true);
    expect(StandxPostReply.safeParse([]).success).toBe(true);
    expect(StandxPostReply.safeParse({ code: 0 }).success).toBe(true);
    expect(StandxPostReply.safeParse('ok').success).toBe(false);
  });
});

describe('StandX sequence numbers', () => {
  it('a counter that skips is fine; one that goes backwards or repeats within a channel is the evidence', () => {
    const w = new StandxSequenceWatch();
    expect([w.observe('depth_book|BTC-USD', 1), w.observe('depth_book|BTC-USD', 35), w.observe('price|BTC-USD', 2)]).toEqual([true, true, true]);
    // Per-channel counters: another channel starting low is no evidence.
    expect(w.observe('price|ETH-USD', 1)).toBe(true);
    expect(w.observe('depth_book|BTC-USD', 35)).toBe(false);
    expect(w.observe('depth_book|BTC-USD', 3)).toBe(false);
    w.reset('depth_book|BTC-USD');
    expect(w.observe('depth_book|BTC-USD', 3)).toBe(true);
  });

  it('property: any strictly increasing counter, gaps or not, is never evidence', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_000 }), { maxLength: 200 }), (steps) => {
        const w = new StandxSequenceWatch();
        let seq = 0;
        return steps.every((d) => w.observe('k', (seq += d)));
      }),
    );
  });
});
