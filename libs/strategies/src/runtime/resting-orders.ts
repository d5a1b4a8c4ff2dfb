import { D, dec, toText, type Decimal, type OrderEvent, type Side, type WantedQuote } from '@perpetua/core';
import { OldestFirst } from './oldest-first.js';

/** One order of ours the venue confirmed resting, in the slot it holds. */
export interface RestingOrder {
  slot: string;
  clientOrderId: string;
  side: Side;
  price: string;
  /** Left to fill, base units. */
  qty: string;
  /** The order's size as placed (what the router knows it by). */
  orderQty: string;
  /** When it was placed or last amended (ms): its age for max_order_age. */
  since: number;
}

const OPEN = new Set(['new', 'partially_filled']);
const CLOSED = new Set(['filled', 'canceled', 'rejected', 'expired']);
/** Client ids remembered after their order closed, so a late fill is still known as ours. */
const REMEMBERED_IDS = 1024;

/**
 * What of a strategy's own rests on the venue, from the order events the
 * router tags with the strategy and slot: confirmed, not what was asked for.
 * A slot whose order the venue closed while it still held the published
 * quote is "gone" (filled, cancelled or refused by the venue): the strategy
 * must ask again. Memory is bounded: one order per slot, a ring of past ids.
 */
export class RestingOrders {
  private readonly bySlot = new Map<string, RestingOrder>();
  /** Slots whose published order the venue closed: filled, or closed otherwise (cancelled, refused, expired). */
  private readonly gone = new Map<string, 'filled' | 'closed'>();
  private readonly ids = new Map<string, { slot: string; side: Side; filled: string; booked: Decimal }>();
  /** Per side, what the venue's order events show filled beyond the fill messages seen (they often come first). */
  private readonly ahead: Record<Side, Decimal> = { buy: D.ZERO, sell: D.ZERO };
  /** The remembered ids, oldest first: the next to forget. */
  private readonly order = new OldestFirst<string>(REMEMBERED_IDS);

  constructor(private readonly strategy: string) {}

  /**
   * Applies one order event: 'other' when it is not this strategy's, 'filled'
   * when it shows more of the order filled than seen before (the venue's word,
   * which may come before the fill message), else 'ours'.
   */
  apply(e: OrderEvent, published: ReadonlyMap<string, WantedQuote>, now: number): 'other' | 'ours' | 'filled' {
    if (e.strategy !== this.strategy || e.slot === undefined) return 'other';
    const slot = e.slot;
    this.remember(e.clientOrderId, slot, e.side);
    const known = this.ids.get(e.clientOrderId)!;
    const filledMore = dec(e.filledQty) > dec(known.filled);
    if (filledMore) {
      const before = aheadOf(known);
      known.filled = e.filledQty;
      this.ahead[known.side] = D.add(this.ahead[known.side], D.sub(aheadOf(known), before));
    }
    const current = this.bySlot.get(slot);
    if (OPEN.has(e.status) && e.price !== undefined) {
      const left = remaining(e.qty, e.filledQty);
      const moved = current?.clientOrderId !== e.clientOrderId || current.price !== e.price;
      this.bySlot.set(slot, { slot, clientOrderId: e.clientOrderId, side: e.side, price: e.price, qty: left, orderQty: e.qty, since: moved ? now : current.since });
      this.gone.delete(slot);
    } else if (CLOSED.has(e.status)) {
      if (current?.clientOrderId === e.clientOrderId) this.bySlot.delete(slot);
      // Gone only if it was the order realising the published quote; a replaced order's cancel is expected.
      const want = published.get(slot);
      if (want && e.price !== undefined && sameNumber(want.price, e.price) && want.side === e.side && !this.bySlot.has(slot)) this.gone.set(slot, e.status === 'filled' ? 'filled' : 'closed');
    }
    return filledMore ? 'filled' : 'ours';
  }

  /** A fill message for one of our orders: what it books no longer counts as ahead. */
  booked(clientOrderId: string, qty: Decimal): void {
    const known = this.ids.get(clientOrderId);
    if (!known) return;
    const before = aheadOf(known);
    known.booked = D.add(known.booked, qty);
    this.ahead[known.side] = D.add(this.ahead[known.side], D.sub(aheadOf(known), before));
  }

  /** Filled per the venue's order events and not yet in a fill message, per side. */
  filledAhead(): Readonly<Record<Side, Decimal>> {
    return this.ahead;
  }

  /** The slot and side a client id of ours held (null: not ours, or forgotten). */
  owner(clientOrderId: string): { slot: string; side: Side } | null {
    const o = this.ids.get(clientOrderId);
    return o ? { slot: o.slot, side: o.side } : null;
  }

  all(): RestingOrder[] {
    return [...this.bySlot.values()];
  }

  /** The same orders as all(), without copying them out (nothing here changes while they are read). */
  values(): IterableIterator<RestingOrder> {
    return this.bySlot.values();
  }

  get size(): number {
    return this.bySlot.size;
  }

  get(slot: string): RestingOrder | undefined {
    return this.bySlot.get(slot);
  }

  /** How the slot's published order left the venue, if it did. */
  goneAs(slot: string): 'filled' | 'closed' | undefined {
    return this.gone.get(slot);
  }

  /** A new set was published: what was gone has been asked for again. */
  published(): void {
    this.gone.clear();
  }

  private remember(id: string, slot: string, side: Side): void {
    if (this.ids.has(id)) return;
    this.ids.set(id, { slot, side, filled: '0', booked: D.ZERO });
    const forgotten = this.order.add(id);
    if (forgotten === undefined) return;
    // A forgotten id's fills beyond its booked ones stop counting ahead.
    const o = this.ids.get(forgotten);
    if (o) this.ahead[o.side] = D.sub(this.ahead[o.side], aheadOf(o));
    this.ids.delete(forgotten);
  }
}

function aheadOf(o: { filled: string; booked: Decimal }): Decimal {
  const d = D.sub(dec(o.filled), o.booked);
  return d > 0n ? d : D.ZERO;
}

function remaining(qty: string, filled: string): string {
  const left = D.sub(dec(qty), dec(filled));
  return left > 0n ? toText(left) : '0';
}

function sameNumber(a: string, b: string): boolean {
  return dec(a) === dec(b);
}
