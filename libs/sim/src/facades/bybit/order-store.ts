import { D } from '@perpetua/core';
import type { SimOrder, SimOrderEvent } from '../../engine/types.js';
import { toWireId } from './wire-ids.js';

/** One order as Bybit reports it: the engine's order plus what Bybit adds (wire id, cumulative fee, reject reason). */
export interface OrderRecord {
  wireId: string;
  order: SimOrder;
  cumFee: string;
  rejectReason: string;
}

const MAX_CLOSED_PER_ACCOUNT = 5_000;
const isOpen = (o: SimOrder) => o.status === 'new' || o.status === 'partially_filled';

/**
 * The façade's view of every order it has seen, fed from the engine's order events (for cumulative fees and the
 * order history endpoint) and from orders Bybit accepts and then cancels at once (a crossing post-only, an unfillable
 * FOK), which the engine refuses outright and so never records. Closed orders are bounded per account.
 */
export class OrderStore {
  private readonly byWireId = new Map<string, OrderRecord>();
  private readonly closedOrder: Map<string, string[]> = new Map();
  private nextRejected = 1;

  /** Records an engine order event; returns the updated record. */
  onEvent(e: SimOrderEvent): OrderRecord {
    const wireId = toWireId('order', e.order.orderId);
    const prev = this.byWireId.get(wireId);
    const fee = e.execType === 'trade' && e.fill ? D.add(D.dec(prev?.cumFee ?? '0'), D.dec(e.fill.fee)) : D.dec(prev?.cumFee ?? '0');
    const rec: OrderRecord = { wireId, order: e.order, cumFee: D.toText(fee), rejectReason: 'EC_NoError' };
    this.byWireId.set(wireId, rec);
    if (!isOpen(e.order) && (prev === undefined || isOpen(prev.order))) this.closed(e.order.accountId, wireId);
    return rec;
  }

  /** An order Bybit accepts and cancels at once with `rejectReason`; it gets its own id space. */
  addCancelledAtOnce(order: Omit<SimOrder, 'orderId'>, rejectReason: string): OrderRecord {
    const n = this.nextRejected++;
    const rec: OrderRecord = { wireId: toWireId('rejectedOrder', n), order: { ...order, orderId: `r${n}` }, cumFee: '0', rejectReason };
    this.byWireId.set(rec.wireId, rec);
    this.closed(order.accountId, rec.wireId);
    return rec;
  }

  get(wireId: string): OrderRecord | undefined {
    return this.byWireId.get(wireId);
  }

  /** Latest record of an engine order (falls back to the engine's own view when the façade missed its events). */
  ofEngineOrder(order: SimOrder): OrderRecord {
    const wireId = toWireId('order', order.orderId);
    const rec = this.byWireId.get(wireId);
    return rec && rec.order.updatedAt >= order.updatedAt ? rec : { wireId, order, cumFee: rec?.cumFee ?? '0', rejectReason: 'EC_NoError' };
  }

  /** Closed orders of an account, newest first. */
  closedOrders(accountId: string): OrderRecord[] {
    const ids = this.closedOrder.get(accountId) ?? [];
    const out: OrderRecord[] = [];
    for (let i = ids.length - 1; i >= 0; i--) {
      const rec = this.byWireId.get(ids[i] as string);
      if (rec) out.push(rec);
    }
    return out;
  }

  private closed(accountId: string, wireId: string): void {
    let ids = this.closedOrder.get(accountId);
    if (!ids) {
      ids = [];
      this.closedOrder.set(accountId, ids);
    }
    ids.push(wireId);
    if (ids.length > MAX_CLOSED_PER_ACCOUNT) {
      for (const old of ids.splice(0, ids.length - MAX_CLOSED_PER_ACCOUNT)) this.byWireId.delete(old);
    }
  }
}
