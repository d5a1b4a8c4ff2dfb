import { dec, type OrderEvent, type OrderStatus } from '@perpetua/core';
import { clientIdOf, isTerminal, toOrderEvent } from './standx-trading-map.js';
import type { StandxOrder } from './standx-trading-wire.js';

export interface TrackedOrder {
  clientOrderId: string;
  venueOrderId?: string;
  /** StandX's order_type and time_in_force: they tell maker from taker on a fill. */
  type?: string;
  tif?: string;
  status: OrderStatus;
  filledQty: bigint;
  /** `status|filled` of the last event emitted: the same news is never told twice. */
  lastEmitted?: string;
  /** What we sent (for an event we must make ourselves: a rejection told only by the order-response stream). */
  request?: { symbol: string; side: 'buy' | 'sell'; price?: string; qty: string };
  /** When we sent it (ms): an order still pending long after is looked for. */
  sentAt?: number;
  /** Quantity of the fills reported for it: less than filledQty means a trade message was lost. */
  reportedQty?: bigint;
}

/** Closed orders remembered (for late fills and stale-update checks) before the oldest are forgotten. */
const MAX_CLOSED = 10_000;

/**
 * Our orders by client order id. StandX acknowledges a new order before it decides
 * its fate, so an order is tracked from the moment we send it ('pending'), and each
 * record that arrives later (private stream, query) moves it forward. An update older
 * than what we know (a lower fill, anything after a final state) is ignored, and a
 * record that tells nothing new emits nothing: stream and query may both report it.
 */
export class StandxOrderTracker {
  private readonly orders = new Map<string, TrackedOrder>();
  private readonly byVenueId = new Map<string, string>();
  private readonly waiters = new Map<string, Array<(s: OrderStatus) => void>>();

  constructor(
    private readonly venue: string,
    private readonly account: string,
  ) {}

  /** Called before the order is sent, so a stream update that beats the HTTP reply finds it. */
  sending(clientOrderId: string, type: string, tif: string, request?: TrackedOrder['request'], now?: number): void {
    this.orders.set(clientOrderId, { clientOrderId, type, tif, status: 'pending', filledQty: 0n, request, sentAt: now });
  }

  /**
   * The venue rejected the order without a record of it (the order-response stream's answer, or no trace of it after
   * its acknowledgement): the order is final, rejected. Returns the event to emit, or undefined if it was final already.
   */
  rejectedByVenue(clientOrderId: string, reason: string, now: number): OrderEvent | undefined {
    const o = this.orders.get(clientOrderId);
    if (!o || isTerminal(o.status) || !o.request) return undefined;
    if (o.filledQty > 0n) return undefined; // it traded: it was not rejected, its record will come
    o.status = 'rejected';
    o.lastEmitted = 'rejected|0';
    this.settle(o);
    const r = o.request;
    return {
      venue: this.venue,
      account: this.account,
      symbol: r.symbol,
      clientOrderId,
      ...(o.venueOrderId !== undefined ? { venueOrderId: o.venueOrderId } : {}),
      side: r.side,
      ...(r.price !== undefined ? { price: r.price } : {}),
      qty: r.qty,
      filledQty: '0',
      status: 'rejected',
      reason: reason.slice(0, 500),
      ts: now,
    };
  }

  /** Orders sent before `before` (ms) of which the venue has told nothing yet ('pending' or 'unknown'). */
  silentSince(before: number): TrackedOrder[] {
    const out: TrackedOrder[] = [];
    for (const o of this.orders.values()) {
      if ((o.status === 'pending' || o.status === 'unknown') && o.sentAt !== undefined && o.sentAt < before) out.push(o);
    }
    return out;
  }

  /** The place call got no answer: the order may or may not exist until a record says which. */
  noAnswer(clientOrderId: string): void {
    const o = this.orders.get(clientOrderId);
    if (o && o.status === 'pending') o.status = 'unknown';
  }

  /** The venue refused the place call outright: there is no order. */
  refused(clientOrderId: string): void {
    const o = this.orders.get(clientOrderId);
    if (o && (o.status === 'pending' || o.status === 'unknown')) this.orders.delete(clientOrderId);
  }

  /** A fill of the order was reported. */
  addReported(o: TrackedOrder, qty: bigint): void {
    o.reportedQty = (o.reportedQty ?? 0n) + qty;
  }

  /** True when the venue says the order filled more than the fills we reported (a trade message was lost). */
  missingFills(clientOrderId: string): boolean {
    const o = this.orders.get(clientOrderId);
    // Only orders this session sent: an older order's earlier fills were never ours to report here.
    return o !== undefined && o.request !== undefined && o.filledQty > (o.reportedQty ?? 0n);
  }

  get(clientOrderId: string): TrackedOrder | undefined {
    return this.orders.get(clientOrderId);
  }

  byVenueOrderId(venueOrderId: string): TrackedOrder | undefined {
    const id = this.byVenueId.get(venueOrderId);
    return id === undefined ? undefined : this.orders.get(id);
  }

  /** Orders whose fate we do not know to be final (for a check after a reconnect). */
  unsettled(): TrackedOrder[] {
    return [...this.orders.values()].filter((o) => !isTerminal(o.status));
  }

  /** Applies a venue record; returns the event to emit, or undefined when it tells nothing new. */
  apply(record: StandxOrder, now: number): OrderEvent | undefined {
    const event = toOrderEvent(record, this.venue, this.account, now);
    const venueOrderId = String(record.id);
    const filled = dec(event.filledQty);
    let o = this.orders.get(event.clientOrderId);
    if (o?.venueOrderId !== undefined && o.venueOrderId !== venueOrderId && event.status === 'rejected' && !isTerminal(o.status)) {
      // A second order with a live order's cl_ord_id, refused by the venue: the live order is unchanged.
      return undefined;
    }
    if (!o) {
      o = { clientOrderId: clientIdOf(record), status: 'pending', filledQty: 0n };
      this.orders.set(o.clientOrderId, o);
    }
    if (isTerminal(o.status) && o.venueOrderId === venueOrderId) return undefined; // final already
    if (filled < o.filledQty) return undefined; // older than what we know
    o.venueOrderId = venueOrderId;
    o.type ??= record.order_type;
    o.tif ??= record.time_in_force;
    o.status = event.status;
    o.filledQty = filled;
    this.byVenueId.set(venueOrderId, o.clientOrderId);
    if (isTerminal(o.status)) this.settle(o);
    const key = `${event.status}|${event.filledQty}`;
    if (o.lastEmitted === key) return undefined;
    o.lastEmitted = key;
    return event;
  }

  /** Resolves with the order's final status, or undefined if it is not final within the time. */
  whenFinal(clientOrderId: string, timeoutMs: number): Promise<OrderStatus | undefined> {
    const o = this.orders.get(clientOrderId);
    if (o && isTerminal(o.status)) return Promise.resolve(o.status);
    return new Promise((resolve) => {
      const list = this.waiters.get(clientOrderId) ?? [];
      const timer = setTimeout(() => {
        const rest = (this.waiters.get(clientOrderId) ?? []).filter((w) => w !== done);
        if (rest.length > 0) this.waiters.set(clientOrderId, rest);
        else this.waiters.delete(clientOrderId);
        resolve(undefined);
      }, timeoutMs);
      const done = (s: OrderStatus): void => {
        clearTimeout(timer);
        resolve(s);
      };
      list.push(done);
      this.waiters.set(clientOrderId, list);
    });
  }

  private settle(o: TrackedOrder): void {
    const list = this.waiters.get(o.clientOrderId);
    this.waiters.delete(o.clientOrderId);
    for (const w of list ?? []) w(o.status);
    // Re-insert at the end (Map order = age of the last final update), then trim the oldest closed ones.
    this.orders.delete(o.clientOrderId);
    this.orders.set(o.clientOrderId, o);
    if (this.orders.size <= MAX_CLOSED) return;
    for (const [id, old] of this.orders) {
      if (this.orders.size <= MAX_CLOSED) break;
      if (!isTerminal(old.status)) continue;
      this.orders.delete(id);
      if (old.venueOrderId !== undefined) this.byVenueId.delete(old.venueOrderId);
    }
  }
}
