/**
 * Every order the façade has seen per account, newest state kept, so `query_orders`
 * can list history (the engine answers by id only) and orders the venue rejected
 * after the ack (the engine never books those) stay queryable by cl_ord_id.
 */
import type { SimOrder } from '../../engine/types.js';

export interface JournalEntry {
  order: SimOrder;
  /** Why it was rejected, for façade-side rejections. */
  remark: string;
}

const MAX_PER_ACCOUNT = 5000;
/** Ids for orders rejected before reaching the book: far above any engine id, still below 2^53. */
const REJECT_ID_BASE = 4_000_000_000_000_000;

export class OrderJournal {
  private readonly byAccount = new Map<string, Map<string, JournalEntry>>();
  private nextRejectId = REJECT_ID_BASE;

  record(order: SimOrder, remark = ''): void {
    let orders = this.byAccount.get(order.accountId);
    if (!orders) {
      orders = new Map();
      this.byAccount.set(order.accountId, orders);
    }
    orders.delete(order.orderId); // re-insert keeps the map in last-update order for trimming
    orders.set(order.orderId, { order, remark });
    if (orders.size > MAX_PER_ACCOUNT) {
      for (const [id, e] of orders) {
        if (orders.size <= MAX_PER_ACCOUNT) break;
        if (!isOpen(e.order)) orders.delete(id);
      }
    }
  }

  /** Books an order the venue refused after acknowledging it. */
  recordRejection(order: Omit<SimOrder, 'orderId' | 'status'>, remark: string): SimOrder {
    const rejected: SimOrder = { ...order, orderId: String(this.nextRejectId++), status: 'rejected' };
    this.record(rejected, remark);
    return rejected;
  }

  get(accountId: string, orderId: string): JournalEntry | undefined {
    return this.byAccount.get(accountId)?.get(orderId);
  }

  /** The open order carrying this client id, else the newest one (a rejected duplicate never hides the live order). */
  byClientId(accountId: string, clientOrderId: string): JournalEntry | undefined {
    let found: JournalEntry | undefined;
    for (const e of this.byAccount.get(accountId)?.values() ?? []) {
      if (e.order.clientOrderId !== clientOrderId) continue;
      if (isOpen(e.order)) return e;
      if (!found || e.order.createdAt >= found.order.createdAt) found = e;
    }
    return found;
  }

  list(accountId: string): JournalEntry[] {
    return [...(this.byAccount.get(accountId)?.values() ?? [])];
  }
}

const isOpen = (o: SimOrder): boolean => o.status === 'new' || o.status === 'partially_filled';
