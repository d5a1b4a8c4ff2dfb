import type { SimOrder } from '../../engine/types.js';

const MAX_PER_ACCOUNT = 5_000;

/**
 * The latest state of each account's recent orders, open and closed, fed from the engine's
 * order events: what GET /fapi/v1/allOrders lists (the engine answers by id only).
 */
export class OrderHistory {
  private readonly byAccount = new Map<string, Map<string, SimOrder>>();

  record(order: SimOrder): void {
    let orders = this.byAccount.get(order.accountId);
    if (!orders) {
      orders = new Map();
      this.byAccount.set(order.accountId, orders);
    }
    orders.set(order.orderId, order);
    if (orders.size > MAX_PER_ACCOUNT) {
      const oldest = orders.keys().next();
      if (!oldest.done) orders.delete(oldest.value);
    }
  }

  /** The account's orders of one symbol, oldest first. */
  list(accountId: string, symbol: string): SimOrder[] {
    const orders = this.byAccount.get(accountId);
    if (!orders) return [];
    return [...orders.values()].filter((o) => o.symbol === symbol).sort((a, b) => Number(a.orderId) - Number(b.orderId));
  }
}
