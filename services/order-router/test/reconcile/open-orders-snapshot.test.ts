import { describe, expect, it } from 'vitest';
import { SimulatedClock, type OrderEvent } from '@perpetua/core';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { OpenOrdersSnapshot, openOrderEvents, type ImmediateOrder } from '../../src/reconcile/open-orders-snapshot.js';
import type { LiveSlotOrder } from '../../src/quote-diff.js';

const logger = createLogger({ service: 'snapshot-test', level: 'silent' });
const order = (slot: string, id: string, price = '100'): LiveSlotOrder => ({ slot, clientOrderId: id, side: slot.startsWith('bid') ? 'buy' : 'sell', price, qty: '0.01', postOnly: true });

/** A store that counts its writes of open orders. */
class CountingStore extends MemoryStateStore {
  saves = 0;
  override async saveOpenOrders(venue: string, account: string, orders: OrderEvent[]): Promise<void> {
    this.saves++;
    await super.saveOpenOrders(venue, account, orders);
  }
}

describe('open orders snapshot', () => {
  it('builds order events with strategy and slot for quotes, and immediate orders without', () => {
    const immediate: Array<[string, ImmediateOrder]> = [['ioc-1', { symbol: 'ETH-PERP', side: 'sell', qty: '1' }]];
    const events = openOrderEvents('v', 'a', 5, [{ strategy: 'mm', symbol: 'BTC-PERP', orders: [order('bid-0', 'q1')] }, { strategy: 'not a token', symbol: 'BTC-PERP', orders: [order('ask-0', 'q2')] }], immediate);
    expect(events).toEqual([
      { venue: 'v', account: 'a', symbol: 'BTC-PERP', clientOrderId: 'q1', side: 'buy', price: '100', qty: '0.01', filledQty: '0', status: 'new', strategy: 'mm', slot: 'bid-0', ts: 5 },
      { venue: 'v', account: 'a', symbol: 'BTC-PERP', clientOrderId: 'q2', side: 'sell', price: '100', qty: '0.01', filledQty: '0', status: 'new', slot: 'ask-0', ts: 5 },
      { venue: 'v', account: 'a', symbol: 'ETH-PERP', clientOrderId: 'ioc-1', side: 'sell', qty: '1', filledQty: '0', status: 'new', ts: 5 },
    ]);
  });

  it('writes once per batch when the orders changed, never when only time moved, and empties the list on a cleared stop', async () => {
    const clock = new SimulatedClock(0);
    const store = new CountingStore();
    let live: LiveSlotOrder[] = [];
    const snapshot = new OpenOrdersSnapshot({
      store,
      clock,
      logger,
      venue: 'v',
      account: 'a',
      batchMs: 200,
      current: () => openOrderEvents('v', 'a', clock.now(), [{ strategy: 'mm', symbol: 'BTC-PERP', orders: live }], []),
    });
    snapshot.start();
    const tick = async (ms: number) => {
      for (const t of clock.advanceTo(clock.now() + ms)) t.fire();
      await snapshot.save(); // waits for a save the timer set off
    };
    await tick(200);
    expect(store.saves).toBe(1); // the first check writes what the router owns (nothing): the previous run's list is replaced
    // Three changes within one batch: one write with the last state.
    live = [order('bid-0', 'q1')];
    live = [order('bid-0', 'q1'), order('ask-0', 'q2')];
    live = [order('bid-0', 'q1', '99'), order('ask-0', 'q2')];
    await tick(200);
    expect(store.saves).toBe(2);
    expect((await store.loadOpenOrders('v', 'a')).map((o) => `${o.clientOrderId}@${o.price}`)).toEqual(['q1@99', 'q2@100']);
    await tick(1_000); // time moves, orders do not
    expect(store.saves).toBe(2);
    await snapshot.stop(false);
    expect(await store.loadOpenOrders('v', 'a')).toHaveLength(2);
    const again = new OpenOrdersSnapshot({ store, clock, logger, venue: 'v', account: 'a', current: () => [] });
    await again.stop(true);
    expect(await store.loadOpenOrders('v', 'a')).toEqual([]);
  });

  it('keeps at most maxOrders (the newest)', async () => {
    const clock = new SimulatedClock(0);
    const store = new MemoryStateStore();
    const many = Array.from({ length: 30 }, (_, i) => order(`bid-${i}`, `q${i}`));
    const snapshot = new OpenOrdersSnapshot({ store, clock, logger, venue: 'v', account: 'a', maxOrders: 10, current: () => openOrderEvents('v', 'a', 0, [{ strategy: 'mm', symbol: 'BTC-PERP', orders: many }], []) });
    await snapshot.save();
    expect((await store.loadOpenOrders('v', 'a')).map((o) => o.clientOrderId)).toEqual(many.slice(20).map((o) => o.clientOrderId));
  });
});
