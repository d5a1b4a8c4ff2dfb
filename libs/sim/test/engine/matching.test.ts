import { describe, expect, it } from 'vitest';
import { BTC, limit, makeEngine, market, ok, reasonOf } from './fixtures.js';
import type { SimOrderEvent } from '../../src/engine/types.js';

describe('price-time priority', () => {
  it('fills the best price first, then the oldest order at a price', () => {
    const { engine } = makeEngine();
    const a = ok(engine.placeOrder(limit('alice', 'sell', '100010', '0.001')));
    const b = ok(engine.placeOrder(limit('bob', 'sell', '100005', '0.001')));
    const c = ok(engine.placeOrder(limit('alice', 'sell', '100005', '0.001', { clientOrderId: 'late' })));
    const t = ok(engine.placeOrder(limit('carol', 'buy', '100010', '0.003')));
    expect(t.fills.map((f) => [f.price, f.qty])).toEqual([
      ['100005', '0.001'],
      ['100005', '0.001'],
      ['100010', '0.001'],
    ]);
    // The trade counterparts in time order: bob (older) before alice's 'late'.
    const makerIds = engine.fills('bob').concat(engine.fills('alice')).sort((x, y) => Number(x.fillId) - Number(y.fillId)).map((f) => f.orderId);
    expect(makerIds).toEqual([b.order.orderId, c.order.orderId, a.order.orderId]);
    expect(t.order.status).toBe('filled');
    expect(t.order.avgFillPrice).toBe('100006.666666666666666667');
    expect(engine.book(BTC).asks).toEqual([]);
  });

  it('trades at the maker price, not the taker limit', () => {
    const { engine } = makeEngine();
    engine.placeOrder(limit('alice', 'buy', '99990', '0.002'));
    const t = ok(engine.placeOrder(limit('bob', 'sell', '99000', '0.002')));
    expect(t.fills).toHaveLength(1);
    expect(t.fills[0]!.price).toBe('99990');
    expect(t.fills[0]!.liquidity).toBe('taker');
    expect(engine.fills('alice')[0]!.liquidity).toBe('maker');
  });

  it('partially fills, rests the remainder (GTC) and keeps its queue place for the rest', () => {
    const { engine } = makeEngine();
    const m = ok(engine.placeOrder(limit('alice', 'sell', '100000', '0.005')));
    ok(engine.placeOrder(limit('bob', 'sell', '100000', '0.001')));
    const t1 = ok(engine.placeOrder(limit('carol', 'buy', '100000', '0.002')));
    expect(t1.order.status).toBe('filled');
    const after = engine.getOrder('alice', BTC, { orderId: m.order.orderId })!;
    expect(after.status).toBe('partially_filled');
    expect(after.filledQty).toBe('0.002');
    expect(engine.book(BTC).asks).toEqual([['100000', '0.004']]);
    // Another buy larger than the book: alice's remainder first, then bob, then the buyer rests.
    const t2 = ok(engine.placeOrder(limit('carol', 'buy', '100000', '0.005')));
    expect(t2.fills.map((f) => f.qty)).toEqual(['0.003', '0.001']);
    expect(t2.order.status).toBe('partially_filled');
    expect(engine.book(BTC)).toMatchObject({ bids: [['100000', '0.001']], asks: [] });
  });

  it('does not match orders whose prices do not cross', () => {
    const { engine } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000.1', '0.001'));
    const r = ok(engine.placeOrder(limit('bob', 'buy', '100000', '0.001')));
    expect(r.fills).toEqual([]);
    expect(r.order.status).toBe('new');
    expect(engine.book(BTC)).toMatchObject({ bids: [['100000', '0.001']], asks: [['100000.1', '0.001']] });
  });
});

describe('time in force', () => {
  it('IOC fills what it can and expires the rest', () => {
    const { engine, events } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000', '0.002'));
    const r = ok(engine.placeOrder(limit('bob', 'buy', '100001', '0.005', { tif: 'ioc' })));
    expect(r.order.status).toBe('expired');
    expect(r.order.closeReason).toBe('ioc_remainder');
    expect(r.order.filledQty).toBe('0.002');
    expect(engine.book(BTC).bids).toEqual([]);
    expect(engine.openOrders('bob')).toEqual([]);
    const execs = events.filter((e): e is SimOrderEvent => e.type === 'order' && e.accountId === 'bob').map((e) => e.execType);
    expect(execs).toEqual(['new', 'trade', 'expired']);
  });

  it('IOC with nothing to match expires unfilled', () => {
    const { engine } = makeEngine();
    const r = ok(engine.placeOrder(limit('bob', 'buy', '100000', '0.005', { tif: 'ioc' })));
    expect(r.order.status).toBe('expired');
    expect(r.fills).toEqual([]);
  });

  it('FOK fills in full or is rejected without touching the book', () => {
    const { engine } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000', '0.002'));
    engine.placeOrder(limit('alice', 'sell', '100002', '0.002'));
    const before = engine.book(BTC);
    const r1 = engine.placeOrder(limit('bob', 'buy', '100001', '0.003', { tif: 'fok' }));
    expect(reasonOf(r1)).toBe('fok_not_fillable');
    expect(engine.book(BTC)).toEqual(before);
    const r2 = ok(engine.placeOrder(limit('bob', 'buy', '100002', '0.003', { tif: 'fok' })));
    expect(r2.order.status).toBe('filled');
    expect(r2.fills.map((f) => f.qty)).toEqual(['0.002', '0.001']);
  });

  it('market orders sweep the book and expire the remainder', () => {
    const { engine } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000', '0.001'));
    engine.placeOrder(limit('alice', 'sell', '100100', '0.001'));
    const r = ok(engine.placeOrder(market('bob', 'buy', '0.003')));
    expect(r.fills.map((f) => f.price)).toEqual(['100000', '100100']);
    expect(r.order.status).toBe('expired');
    expect(r.order.closeReason).toBe('market_remainder');
    expect(r.order.avgFillPrice).toBe('100050');
    expect(r.order.type).toBe('market');
  });

  it('market orders with an empty opposite side are rejected no_liquidity', () => {
    const { engine } = makeEngine();
    expect(reasonOf(engine.placeOrder(market('bob', 'buy', '0.001')))).toBe('no_liquidity');
  });

  it('market FOK is honoured', () => {
    const { engine } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000', '0.001'));
    expect(reasonOf(engine.placeOrder(market('bob', 'buy', '0.002', { tif: 'fok' })))).toBe('fok_not_fillable');
    expect(ok(engine.placeOrder(market('bob', 'buy', '0.001', { tif: 'fok' }))).order.status).toBe('filled');
  });
});

describe('post-only', () => {
  it("mode 'reject' refuses a crossing post-only order and leaves the book untouched", () => {
    const { engine } = makeEngine({ postOnlyMode: 'reject' });
    engine.placeOrder(limit('alice', 'sell', '100000', '0.001'));
    const r = engine.placeOrder(limit('bob', 'buy', '100000', '0.001', { tif: 'post_only' }));
    expect(reasonOf(r)).toBe('post_only_would_cross');
    expect(engine.book(BTC).bids).toEqual([]);
    expect(engine.openOrders('bob')).toEqual([]);
  });

  it("mode 'reprice' moves a crossing post-only order one tick behind the best opposite price", () => {
    const { engine } = makeEngine({ postOnlyMode: 'reprice' });
    engine.placeOrder(limit('alice', 'sell', '100000', '0.001'));
    engine.placeOrder(limit('alice', 'buy', '99000', '0.001'));
    const b = ok(engine.placeOrder(limit('bob', 'buy', '100050', '0.001', { tif: 'post_only' })));
    expect(b.fills).toEqual([]);
    expect(b.order.price).toBe('99999.9');
    expect(b.order.origPrice).toBe('100050');
    const s = ok(engine.placeOrder(limit('bob', 'sell', '98000', '0.001', { tif: 'post_only' })));
    expect(s.order.price).toBe('100000');
    // 98000 would cross the best bid 99999.9 -> repriced to one tick above it.
    expect(engine.book(BTC).asks[0]).toEqual(['100000', '0.002']);
  });

  it('non-crossing post-only orders rest as makers in both modes', () => {
    for (const mode of ['reject', 'reprice'] as const) {
      const { engine } = makeEngine({ postOnlyMode: mode });
      engine.placeOrder(limit('alice', 'sell', '100000', '0.001'));
      const r = ok(engine.placeOrder(limit('bob', 'buy', '99999.9', '0.001', { tif: 'post_only' })));
      expect(r.order.status).toBe('new');
      expect(r.order.price).toBe('99999.9');
      const t = ok(engine.placeOrder(market('carol', 'sell', '0.001')));
      expect(t.fills[0]!.price).toBe('99999.9');
      expect(engine.fills('bob')[0]!.liquidity).toBe('maker');
    }
  });

  it('a market order cannot be post-only', () => {
    const { engine } = makeEngine();
    expect(reasonOf(engine.placeOrder(market('bob', 'buy', '0.001', { tif: 'post_only' })))).toBe('invalid_order');
  });
});

describe('reduce-only', () => {
  it('is rejected when flat or when it would increase the position', () => {
    const { engine } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000', '0.01'));
    expect(reasonOf(engine.placeOrder(limit('bob', 'sell', '100000', '0.001', { reduceOnly: true })))).toBe('reduce_only_violation');
    ok(engine.placeOrder(market('bob', 'buy', '0.002')));
    expect(engine.position('bob', BTC).qty).toBe('0.002');
    expect(reasonOf(engine.placeOrder(limit('bob', 'buy', '90000', '0.001', { reduceOnly: true })))).toBe('reduce_only_violation');
  });

  it('is clipped at fill time so it never flips the position, and expires the rest', () => {
    const { engine } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000', '0.01'));
    ok(engine.placeOrder(market('bob', 'buy', '0.002')));
    engine.placeOrder(limit('alice', 'buy', '99990', '0.01'));
    const r = ok(engine.placeOrder(market('bob', 'sell', '0.005', { reduceOnly: true })));
    expect(r.order.filledQty).toBe('0.002');
    expect(r.order.status).toBe('expired');
    expect(r.order.closeReason).toBe('reduce_only');
    expect(engine.position('bob', BTC).qty).toBe('0');
  });

  it('a resting reduce-only maker is clipped and expired once the position is gone', () => {
    const { engine } = makeEngine();
    engine.placeOrder(limit('alice', 'sell', '100000', '0.002'));
    ok(engine.placeOrder(market('bob', 'buy', '0.002')));
    const ro = ok(engine.placeOrder(limit('bob', 'sell', '100500', '0.005', { reduceOnly: true })));
    expect(ro.order.status).toBe('new');
    const t = ok(engine.placeOrder(limit('carol', 'buy', '100500', '0.004')));
    expect(t.fills.map((f) => f.qty)).toEqual(['0.002']);
    const after = engine.getOrder('bob', BTC, { orderId: ro.order.orderId })!;
    expect(after.status).toBe('expired');
    expect(after.closeReason).toBe('reduce_only');
    expect(engine.position('bob', BTC).qty).toBe('0');
    expect(engine.book(BTC).asks.some(([p]) => p === '100500')).toBe(false);
  });
  it('FOK does not count a reduce-only maker whose position an earlier maker order of its account closes first', () => {
    // Found by the properties test: carol is short 0.001 and bids 0.023 plain, then 0.001 reduce-only. Filling her
    // plain bid makes her long, so her reduce-only bid would expire, not trade: a FOK for 0.024 cannot fill in full.
    const { engine } = makeEngine();
    engine.placeOrder(limit('carol', 'sell', '100000', '0.001'));
    ok(engine.placeOrder(market('alice', 'buy', '0.001')));
    engine.placeOrder(limit('carol', 'buy', '100000', '0.023'));
    engine.placeOrder(limit('carol', 'buy', '100000', '0.001', { reduceOnly: true }));
    expect(reasonOf(engine.placeOrder(limit('alice', 'sell', '100000', '0.024', { tif: 'fok' })))).toBe('fok_not_fillable');
    const r = ok(engine.placeOrder(limit('alice', 'sell', '100000', '0.023', { tif: 'fok' })));
    expect(r.order.status).toBe('filled');
  });
});

describe('self-trade prevention', () => {
  it('expire_taker (default): the incoming order expires at the own resting order, which stays', () => {
    const { engine } = makeEngine({ stpMode: 'expire_taker' });
    engine.placeOrder(limit('bob', 'sell', '100000', '0.001'));
    const own = ok(engine.placeOrder(limit('alice', 'sell', '100001', '0.001')));
    engine.placeOrder(limit('bob', 'sell', '100002', '0.001'));
    const r = ok(engine.placeOrder(limit('alice', 'buy', '100002', '0.003')));
    expect(r.fills.map((f) => f.price)).toEqual(['100000']);
    expect(r.order.status).toBe('expired');
    expect(r.order.closeReason).toBe('stp');
    expect(engine.getOrder('alice', BTC, { orderId: own.order.orderId })!.status).toBe('new');
    expect(engine.book(BTC).asks).toEqual([
      ['100001', '0.001'],
      ['100002', '0.001'],
    ]);
  });

  it('expire_maker: the own resting order is expired and matching continues', () => {
    const { engine } = makeEngine({ stpMode: 'expire_maker' });
    const own = ok(engine.placeOrder(limit('alice', 'sell', '100000', '0.001')));
    engine.placeOrder(limit('bob', 'sell', '100000', '0.001'));
    const r = ok(engine.placeOrder(limit('alice', 'buy', '100000', '0.001')));
    expect(r.order.status).toBe('filled');
    expect(engine.fills('bob')).toHaveLength(1);
    const o = engine.getOrder('alice', BTC, { orderId: own.order.orderId })!;
    expect(o.status).toBe('expired');
    expect(o.closeReason).toBe('stp');
  });

  it('expire_both: both are expired', () => {
    const { engine } = makeEngine({ stpMode: 'expire_both' });
    const own = ok(engine.placeOrder(limit('alice', 'sell', '100000', '0.001')));
    const r = ok(engine.placeOrder(limit('alice', 'buy', '100000', '0.001')));
    expect(r.order.status).toBe('expired');
    expect(engine.getOrder('alice', BTC, { orderId: own.order.orderId })!.status).toBe('expired');
    expect(engine.book(BTC)).toMatchObject({ bids: [], asks: [] });
  });

  it('none: the account trades with itself', () => {
    const { engine } = makeEngine({ stpMode: 'none' });
    engine.placeOrder(limit('alice', 'sell', '100000', '0.001'));
    const r = ok(engine.placeOrder(limit('alice', 'buy', '100000', '0.001')));
    expect(r.order.status).toBe('filled');
    expect(engine.fills('alice').map((f) => f.liquidity)).toEqual(['maker', 'taker']);
    expect(engine.position('alice', BTC).qty).toBe('0');
  });

  it('FOK counts only liquidity reachable before an own order', () => {
    const { engine } = makeEngine({ stpMode: 'expire_taker' });
    engine.placeOrder(limit('bob', 'sell', '100000', '0.001'));
    engine.placeOrder(limit('alice', 'sell', '100000', '0.001'));
    engine.placeOrder(limit('bob', 'sell', '100000', '0.001'));
    expect(reasonOf(engine.placeOrder(limit('alice', 'buy', '100000', '0.002', { tif: 'fok' })))).toBe('fok_not_fillable');
    expect(ok(engine.placeOrder(limit('alice', 'buy', '100000', '0.001', { tif: 'fok' }))).order.status).toBe('filled');
  });
});

describe('validation', () => {
  it('rejects with machine-readable reasons', () => {
    const { engine } = makeEngine({
      instruments: { BTC: { tickSize: '0.1', lotSize: '0.001', minQty: '0.002', minNotional: '100', maxLeverage: 50 } },
    });
    const cases: Array<[Parameters<typeof engine.placeOrder>[0], string]> = [
      [{ ...limit('alice', 'buy', '100000', '0.002'), symbol: 'DOGE-PERP' }, 'unknown_symbol'],
      [limit('nobody', 'buy', '100000', '0.002'), 'unknown_account'],
      [limit('alice', 'buy', '100000.05', '0.002'), 'invalid_price_tick'],
      [limit('alice', 'buy', '-1', '0.002'), 'invalid_price'],
      [limit('alice', 'buy', 'abc', '0.002'), 'invalid_price'],
      [{ ...limit('alice', 'buy', '1', '0.002'), price: undefined }, 'invalid_price'],
      [limit('alice', 'buy', '100000', '0.0025'), 'invalid_qty_lot'],
      [limit('alice', 'buy', '100000', '0'), 'invalid_qty'],
      [limit('alice', 'buy', '100000', '1e-30'), 'invalid_qty'],
      [limit('alice', 'buy', '100000', '0.001'), 'below_min_qty'],
      [limit('alice', 'buy', '10', '0.002'), 'below_min_notional'],
      [limit('alice', 'buy', '100000', '0.002', { tif: 'day' as never }), 'invalid_order'],
      [limit('alice', 'hold' as never, '100000', '0.002'), 'invalid_order'],
      [{ ...limit('alice', 'buy', '100000', '0.002'), type: 'stop' as never }, 'invalid_order'],
    ];
    for (const [req, reason] of cases) expect(reasonOf(engine.placeOrder(req)), JSON.stringify(req)).toBe(reason);
    expect(engine.book(BTC)).toMatchObject({ bids: [], asks: [], lastUpdateId: 0 });
  });

  it('rejects a duplicate clientOrderId among open orders, allows it again once closed', () => {
    const { engine } = makeEngine();
    ok(engine.placeOrder(limit('alice', 'buy', '99000', '0.001', { clientOrderId: 'q1' })));
    expect(reasonOf(engine.placeOrder(limit('alice', 'buy', '98000', '0.001', { clientOrderId: 'q1' })))).toBe('duplicate_client_order_id');
    // Another account may use the same id.
    ok(engine.placeOrder(limit('bob', 'buy', '98000', '0.001', { clientOrderId: 'q1' })));
    expect(engine.cancelOrder('alice', BTC, { clientOrderId: 'q1' }).ok).toBe(true);
    ok(engine.placeOrder(limit('alice', 'buy', '98000', '0.001', { clientOrderId: 'q1' })));
  });

  it('rejects orders on a halted symbol and cancels its open orders', () => {
    const { engine, events } = makeEngine();
    ok(engine.placeOrder(limit('alice', 'buy', '99000', '0.001')));
    engine.setHalted(BTC, true);
    expect(engine.openOrders('alice')).toEqual([]);
    expect(engine.book(BTC).bids).toEqual([]);
    expect(reasonOf(engine.placeOrder(limit('alice', 'buy', '99000', '0.001')))).toBe('symbol_halted');
    expect(events.some((e) => e.type === 'status' && e.halted)).toBe(true);
    const canceled = events.filter((e): e is SimOrderEvent => e.type === 'order' && e.execType === 'canceled');
    expect(canceled[0]!.order.closeReason).toBe('halt');
    engine.setHalted(BTC, false);
    ok(engine.placeOrder(limit('alice', 'buy', '99000', '0.001')));
  });

  it('generates a clientOrderId when none is given', () => {
    const { engine } = makeEngine();
    const r = ok(engine.placeOrder(limit('alice', 'buy', '99000', '0.001')));
    expect(r.order.clientOrderId).toBe(`sim-${r.order.orderId}`);
  });
});

describe('cancel', () => {
  it('cancels by orderId or clientOrderId and removes the order from the book', () => {
    const { engine } = makeEngine();
    const a = ok(engine.placeOrder(limit('alice', 'buy', '99000', '0.001')));
    ok(engine.placeOrder(limit('alice', 'buy', '99000', '0.002', { clientOrderId: 'c2' })));
    const c1 = engine.cancelOrder('alice', BTC, { orderId: a.order.orderId });
    expect(c1.ok && c1.order.status).toBe('canceled');
    expect(engine.book(BTC).bids).toEqual([['99000', '0.002']]);
    const c2 = engine.cancelOrder('alice', BTC, { clientOrderId: 'c2' });
    expect(c2.ok && c2.order.closeReason).toBe('user');
    expect(engine.book(BTC).bids).toEqual([]);
    expect(engine.getOrder('alice', BTC, { clientOrderId: 'c2' })!.status).toBe('canceled');
  });

  it('answers order_not_found for unknown, closed, foreign or other-symbol orders', () => {
    const { engine } = makeEngine();
    const a = ok(engine.placeOrder(limit('alice', 'buy', '99000', '0.001')));
    expect(reasonOf(engine.cancelOrder('alice', BTC, { orderId: '999999' }))).toBe('order_not_found');
    expect(reasonOf(engine.cancelOrder('bob', BTC, { orderId: a.order.orderId }))).toBe('order_not_found');
    expect(reasonOf(engine.cancelOrder('alice', BTC, {}))).toBe('order_not_found');
    expect(reasonOf(engine.cancelOrder('alice', 'ETH-PERP', { orderId: a.order.orderId }))).toBe('unknown_symbol');
    ok(engine.placeOrder(market('bob', 'sell', '0.001')));
    expect(reasonOf(engine.cancelOrder('alice', BTC, { orderId: a.order.orderId }))).toBe('order_not_found');
    expect(reasonOf(engine.cancelOrder('ghost', BTC, { orderId: a.order.orderId }))).toBe('unknown_account');
  });

  it('cancelAll cancels only the account (and symbol) given', () => {
    const { engine } = makeEngine();
    ok(engine.placeOrder(limit('alice', 'buy', '99000', '0.001')));
    ok(engine.placeOrder(limit('alice', 'sell', '101000', '0.001')));
    ok(engine.placeOrder(limit('bob', 'buy', '99000', '0.001')));
    const done = engine.cancelAll('alice', BTC);
    expect(done.map((o) => [o.side, o.status, o.closeReason])).toEqual([
      ['buy', 'canceled', 'cancel_all'],
      ['sell', 'canceled', 'cancel_all'],
    ]);
    expect(engine.openOrders('alice')).toEqual([]);
    expect(engine.openOrders('bob')).toHaveLength(1);
    expect(engine.book(BTC)).toMatchObject({ bids: [['99000', '0.001']], asks: [] });
    expect(engine.cancelAll('alice')).toEqual([]);
    expect(engine.cancelAll('ghost')).toEqual([]);
  });

  it('openOrders lists in id order with current fill state', () => {
    const { engine } = makeEngine();
    const a = ok(engine.placeOrder(limit('alice', 'sell', '100000', '0.003')));
    const b = ok(engine.placeOrder(limit('alice', 'sell', '100001', '0.001')));
    ok(engine.placeOrder(market('bob', 'buy', '0.001')));
    const open = engine.openOrders('alice', BTC);
    expect(open.map((o) => o.orderId)).toEqual([a.order.orderId, b.order.orderId]);
    expect(open[0]!).toMatchObject({ status: 'partially_filled', filledQty: '0.001', qty: '0.003' });
  });
});
