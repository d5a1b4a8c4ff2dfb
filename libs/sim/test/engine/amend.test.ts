import { describe, expect, it } from 'vitest';
import { BTC, limit, makeEngine, ok, reasonOf } from './fixtures.js';
import type { SimOrderEvent } from '../../src/engine/types.js';

const orderEvents = (events: readonly { type: string }[]) => events.filter((e): e is SimOrderEvent => e.type === 'order');

/** The maker fills of one taker order, oldest first: who was ahead in the queue. */
function makersHit(engine: ReturnType<typeof makeEngine>['engine'], qty: string): string[] {
  const t = ok(engine.placeOrder(limit('carol', 'buy', '100000', qty)));
  const ids = new Set(t.fills.map((f) => f.tradeId));
  return ['alice', 'bob']
    .flatMap((a) => engine.fills(a))
    .filter((f) => ids.has(f.tradeId))
    .sort((x, y) => Number(x.fillId) - Number(y.fillId))
    .map((f) => f.accountId);
}

describe('amendOrder', () => {
  it('changes price and qty in place, keeps the ids and emits an amended order event', () => {
    const { engine, events } = makeEngine();
    const o = ok(engine.placeOrder(limit('alice', 'buy', '99990', '0.002', { clientOrderId: 'q-1' }))).order;
    events.length = 0;
    const r = engine.amendOrder('alice', BTC, { clientOrderId: 'q-1' }, { price: '99995', qty: '0.003' });
    if (!r.ok) throw new Error(r.message);
    expect(r.order).toMatchObject({ orderId: o.orderId, clientOrderId: 'q-1', price: '99995', qty: '0.003', status: 'new' });
    expect(engine.book(BTC).bids).toEqual([['99995', '0.003']]);
    const ev = orderEvents(events);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ execType: 'amended', order: { orderId: o.orderId, price: '99995', qty: '0.003' } });
    expect(engine.openOrders('alice')).toHaveLength(1);
  });

  it('refuses unknown, closed and non-changing amends, and keeps the order', () => {
    const { engine } = makeEngine();
    const o = ok(engine.placeOrder(limit('alice', 'buy', '99990', '0.002'))).order;
    expect(reasonOf(engine.amendOrder('alice', BTC, { orderId: '999' }, { price: '99991' }))).toBe('order_not_found');
    expect(reasonOf(engine.amendOrder('alice', BTC, { orderId: o.orderId }, { price: '99990', qty: '0.002' }))).toBe('amend_no_change');
    expect(reasonOf(engine.amendOrder('alice', BTC, { orderId: o.orderId }, { price: '99990.05' }))).toBe('invalid_price_tick');
    expect(reasonOf(engine.amendOrder('alice', BTC, { orderId: o.orderId }, { qty: '0.0005' }))).toBe('invalid_qty_lot');
    engine.cancelOrder('alice', BTC, { orderId: o.orderId });
    expect(reasonOf(engine.amendOrder('alice', BTC, { orderId: o.orderId }, { price: '99991' }))).toBe('order_not_found');
  });

  it('refuses a new qty at or below the filled qty (the order stays unless the venue cancels on failure)', () => {
    for (const cancels of [false, true]) {
      const { engine } = makeEngine({ amendFailureCancels: cancels });
      const o = ok(engine.placeOrder(limit('alice', 'sell', '100000', '0.005'))).order;
      ok(engine.placeOrder(limit('carol', 'buy', '100000', '0.003')));
      expect(reasonOf(engine.amendOrder('alice', BTC, { orderId: o.orderId }, { qty: '0.003' }))).toBe('amend_qty_below_filled');
      const after = engine.getOrder('alice', BTC, { orderId: o.orderId })!;
      expect(after.status).toBe(cancels ? 'canceled' : 'partially_filled');
      if (cancels) expect(after.closeReason).toBe('amend_failed');
      // Above the filled qty is fine where the order is still there.
      if (!cancels) expect(engine.amendOrder('alice', BTC, { orderId: o.orderId }, { qty: '0.004' }).ok).toBe(true);
    }
  });

  it('refuses a post-only amend that would cross; a GTC amend through the book trades as a taker', () => {
    const { engine } = makeEngine();
    ok(engine.placeOrder(limit('bob', 'sell', '100000', '0.001')));
    const po = ok(engine.placeOrder(limit('alice', 'buy', '99990', '0.001', { tif: 'post_only' }))).order;
    expect(reasonOf(engine.amendOrder('alice', BTC, { orderId: po.orderId }, { price: '100000' }))).toBe('post_only_would_cross');
    expect(engine.getOrder('alice', BTC, { orderId: po.orderId })!.price).toBe('99990');
    engine.cancelOrder('alice', BTC, { orderId: po.orderId });
    const g = ok(engine.placeOrder(limit('alice', 'buy', '99990', '0.002'))).order;
    const r = engine.amendOrder('alice', BTC, { orderId: g.orderId }, { price: '100000' });
    if (!r.ok) throw new Error(r.message);
    expect(r.fills.map((f) => [f.price, f.qty, f.liquidity])).toEqual([['100000', '0.001', 'taker']]);
    expect(r.order).toMatchObject({ status: 'partially_filled', filledQty: '0.001', price: '100000' });
    expect(engine.book(BTC)).toMatchObject({ bids: [['100000', '0.001']], asks: [] });
  });

  it('a price change or qty increase loses time priority', () => {
    for (const change of [{ qty: '0.002' }, { price: '99999.9' }]) {
      const { engine } = makeEngine();
      const a = ok(engine.placeOrder(limit('alice', 'sell', '100000', '0.001'))).order;
      ok(engine.placeOrder(limit('bob', 'sell', '100000', '0.001')));
      expect(engine.amendOrder('alice', BTC, { orderId: a.orderId }, change).ok).toBe(true);
      if (change.price) expect(engine.amendOrder('alice', BTC, { orderId: a.orderId }, { price: '100000' }).ok).toBe(true);
      expect(makersHit(engine, '0.001')).toEqual(['bob']);
    }
  });

  it('a qty decrease keeps time priority where the venue says so, and loses it elsewhere', () => {
    for (const keeps of [true, false]) {
      const { engine } = makeEngine({ amendKeepsPriorityOnQtyDecrease: keeps });
      const a = ok(engine.placeOrder(limit('alice', 'sell', '100000', '0.003'))).order;
      ok(engine.placeOrder(limit('bob', 'sell', '100000', '0.001')));
      expect(engine.amendOrder('alice', BTC, { orderId: a.orderId }, { qty: '0.002' }).ok).toBe(true);
      expect(engine.book(BTC).asks).toEqual([['100000', '0.003']]);
      expect(makersHit(engine, '0.001')).toEqual([keeps ? 'alice' : 'bob']);
    }
  });

  it('moves the order margin with the order and refuses an amend the account cannot afford', () => {
    const { engine } = makeEngine();
    engine.createAccount('dave', '100');
    const o = ok(engine.placeOrder(limit('dave', 'buy', '10000', '0.05'))).order; // 500 notional at 10x: 50 margin
    expect(engine.balance('dave').orderMargin).toBe('50');
    expect(engine.amendOrder('dave', BTC, { orderId: o.orderId }, { price: '20000' }).ok).toBe(true);
    expect(engine.balance('dave').orderMargin).toBe('100');
    expect(reasonOf(engine.amendOrder('dave', BTC, { orderId: o.orderId }, { qty: '0.06' }))).toBe('insufficient_margin');
    expect(engine.balance('dave').orderMargin).toBe('100');
    expect(engine.getOrder('dave', BTC, { orderId: o.orderId })!).toMatchObject({ price: '20000', qty: '0.05' });
    expect(engine.amendOrder('dave', BTC, { orderId: o.orderId }, { qty: '0.01' }).ok).toBe(true);
    expect(engine.balance('dave').orderMargin).toBe('20');
    engine.cancelOrder('dave', BTC, { orderId: o.orderId });
    expect(engine.balance('dave').orderMargin).toBe('0');
  });
});
