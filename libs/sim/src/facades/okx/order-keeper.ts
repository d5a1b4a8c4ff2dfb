import { D } from '@perpetua/core';
import type { SimOrder, SimOrderEvent } from '../../engine/types.js';

/** What a client sent to place an order, as received on the wire (sizes in contracts). */
export interface PlacedOrderRecord {
  instId: string;
  clOrdId: string;
  side: string;
  ordType: string;
  /** Contracts, as sent. */
  sz: string;
  px: string;
  ts: number;
}

interface Known {
  order: SimOrder;
  /** Cumulative fee, engine sign (positive = paid). */
  cumFee: string;
  /** OKX's cancelSource where the façade closed the order itself (31: a post-only that would take liquidity). */
  cancelSource?: string;
}

const MAX_ORDERS_PER_ACCOUNT = 5_000;
const MAX_PLACED = 10_000;
const isOpen = (o: SimOrder) => o.status === 'new' || o.status === 'partially_filled';

/**
 * The façade's memory of orders: cumulative fees (the engine reports fills one by one), closed orders for
 * orders-history, orders OKX accepts and cancels at once (a crossing post-only, an unfillable FOK / IOC, which the
 * engine refuses outright), and the log of every place request as it came over the wire. All bounded.
 */
export class OkxOrderKeeper {
  private readonly byAccount = new Map<string, Map<string, Known>>();
  private readonly placed: PlacedOrderRecord[] = [];
  private nextSynthetic = 1;

  onEvent(e: SimOrderEvent): void {
    const orders = this.orders(e.accountId);
    const prev = orders.get(e.order.orderId);
    const fee = e.execType === 'trade' && e.fill ? D.toText(D.add(D.dec(prev?.cumFee ?? '0'), D.dec(e.fill.fee))) : (prev?.cumFee ?? '0');
    orders.delete(e.order.orderId); // re-inserted last: the map stays in update order
    orders.set(e.order.orderId, { order: e.order, cumFee: fee });
    this.trim(orders);
  }

  /** An order OKX accepts and closes at once; it gets an id the engine never uses (engine ids are integers). */
  addClosedAtOnce(order: Omit<SimOrder, 'orderId'>, cancelSource: string): SimOrder {
    const o: SimOrder = { ...order, orderId: `9${String(this.nextSynthetic++).padStart(17, '0')}` };
    const orders = this.orders(order.accountId);
    orders.set(o.orderId, { order: o, cumFee: '0', cancelSource });
    this.trim(orders);
    return o;
  }

  find(accountId: string, ref: { ordId?: string; clOrdId?: string }): SimOrder | undefined {
    const orders = this.byAccount.get(accountId);
    if (!orders) return undefined;
    if (ref.ordId) return orders.get(ref.ordId)?.order;
    let found: SimOrder | undefined;
    for (const k of orders.values()) if (k.order.clientOrderId === ref.clOrdId) found = k.order; // the latest wins
    return found;
  }

  cumFee(accountId: string, orderId: string): string {
    return this.byAccount.get(accountId)?.get(orderId)?.cumFee ?? '0';
  }

  cancelSource(accountId: string, orderId: string): string | undefined {
    return this.byAccount.get(accountId)?.get(orderId)?.cancelSource;
  }

  /** Closed orders of an account, newest first. */
  closed(accountId: string): SimOrder[] {
    const out: SimOrder[] = [];
    for (const k of this.byAccount.get(accountId)?.values() ?? []) if (!isOpen(k.order)) out.push(k.order);
    return out.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  recordPlaced(r: PlacedOrderRecord): void {
    this.placed.push(r);
    if (this.placed.length > MAX_PLACED) this.placed.splice(0, this.placed.length - MAX_PLACED);
  }

  /** Every place request as received (oldest first): what a test reads to see the sizes on the wire. */
  placedOrders(): readonly PlacedOrderRecord[] {
    return this.placed;
  }

  private orders(accountId: string): Map<string, Known> {
    let m = this.byAccount.get(accountId);
    if (!m) {
      m = new Map();
      this.byAccount.set(accountId, m);
    }
    return m;
  }

  private trim(orders: Map<string, Known>): void {
    while (orders.size > MAX_ORDERS_PER_ACCOUNT) {
      const oldest = orders.keys().next().value;
      if (oldest === undefined) return;
      orders.delete(oldest);
    }
  }
}
