/**
 * What the façade keeps per order beyond the engine: the signed wire fields (signature, sizes as sent, tif...)
 * and a GRVT close reason when the façade itself closed the order. Orders are bound to their metadata while
 * `placeOrder` runs (the engine's events fire before it returns), by account and client order id.
 */
import type { SimOrder } from '../../engine/types.js';
import type { GrvtOrderMeta } from './wire-format.js';

/** Closed orders' metadata kept for `order` lookups; older entries are dropped first. */
const MAX_ENTRIES = 20_000;

export class OrderMetaStore {
  private readonly byOrderId = new Map<string, GrvtOrderMeta>();
  private pending: { accountId: string; clientOrderId: string; meta: GrvtOrderMeta } | undefined;

  /** Runs `place` with `meta` bound to the order it creates (matched by account and client order id). */
  placing<T>(accountId: string, clientOrderId: string, meta: GrvtOrderMeta, place: () => T): T {
    this.pending = { accountId, clientOrderId, meta };
    try {
      return place();
    } finally {
      this.pending = undefined;
    }
  }

  get(order: SimOrder): GrvtOrderMeta | undefined {
    const known = this.byOrderId.get(order.orderId);
    if (known) return known;
    const p = this.pending;
    if (p && p.accountId === order.accountId && p.clientOrderId === order.clientOrderId) {
      this.set(order.orderId, p.meta);
      return p.meta;
    }
    return undefined;
  }

  set(orderId: string, meta: GrvtOrderMeta): void {
    this.byOrderId.set(orderId, meta);
    if (this.byOrderId.size > MAX_ENTRIES) {
      const oldest = this.byOrderId.keys().next().value;
      if (oldest !== undefined) this.byOrderId.delete(oldest);
    }
  }

  byId(orderId: string): GrvtOrderMeta | undefined {
    return this.byOrderId.get(orderId);
  }
}
