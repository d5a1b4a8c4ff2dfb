import type { LiveSlotOrder } from '../quote-diff.js';
import type { OrderState, OrderStateEvent } from './order-state.js';
import { REFUSED, transition, type Refused } from './order-transitions.js';

/** Who an order is for: a slot of a quote book, or an immediate order (a place command outside any quote set). */
export type OrderOwner = { kind: 'quote'; book: string; slot: string } | { kind: 'immediate' };

/** What an immediate order asked for (what a persisted open order shows). */
export interface ImmediateDetail {
  side: 'buy' | 'sell';
  qty: string;
  price?: string;
}

export interface OwnedOrder {
  clientOrderId: string;
  symbol: string;
  owner: OrderOwner;
  state: OrderState;
  /** The quote it carries (quote orders only), as last confirmed or sent. */
  quote?: LiveSlotOrder;
  /** What it asked for (immediate orders only). */
  immediate?: ImmediateDetail;
}

/**
 * Pure: every order the router owns, each with its state, which changes only through transition(). An order
 * leaves when it reaches closed, and only then; a slot holds one order at a time, so a new order enters a slot
 * only once the old one is closed (a slot never has two live orders). Bounded by the slots and the immediate
 * orders not yet settled.
 */
export class OwnedOrders {
  private readonly orders = new Map<string, OwnedOrder>();
  /** Per quote book: slot → client order id of the order holding it. */
  private readonly slots = new Map<string, Map<string, string>>();

  /** Enters a quote order as pending_new; false (nothing entered) while the slot still holds an order. */
  placeQuote(book: string, symbol: string, order: LiveSlotOrder): boolean {
    if (this.slotHolder(book, order.slot) !== undefined || this.orders.has(order.clientOrderId)) return false;
    this.orders.set(order.clientOrderId, { clientOrderId: order.clientOrderId, symbol, owner: { kind: 'quote', book, slot: order.slot }, state: 'pending_new', quote: order });
    let bookSlots = this.slots.get(book);
    if (!bookSlots) this.slots.set(book, (bookSlots = new Map()));
    bookSlots.set(order.slot, order.clientOrderId);
    return true;
  }

  /** Enters an immediate order as pending_new; false if the client id is owned already. */
  placeImmediate(clientOrderId: string, symbol: string, detail?: ImmediateDetail): boolean {
    if (this.orders.has(clientOrderId)) return false;
    this.orders.set(clientOrderId, { clientOrderId, symbol, owner: { kind: 'immediate' }, state: 'pending_new', ...(detail ? { immediate: detail } : {}) });
    return true;
  }

  /** Every owned order, quote and immediate (read-only views). */
  all(): Iterable<Readonly<OwnedOrder>> {
    return this.orders.values();
  }

  /**
   * Applies an event to an owned order: its new state, refused (the state stays) or undefined when the router
   * does not own it (never did, or it closed already). A closed order is forgotten, freeing its slot.
   */
  apply(clientOrderId: string, event: OrderStateEvent): OrderState | Refused | undefined {
    const o = this.orders.get(clientOrderId);
    if (!o) return undefined;
    const next = transition(o.state, event);
    if (next === REFUSED) return REFUSED;
    o.state = next;
    if (next === 'closed') this.remove(o);
    return next;
  }

  state(clientOrderId: string): OrderState | undefined {
    return this.orders.get(clientOrderId)?.state;
  }

  owns(clientOrderId: string): boolean {
    return this.orders.has(clientOrderId);
  }

  ownerOf(clientOrderId: string): OrderOwner | undefined {
    return this.orders.get(clientOrderId)?.owner;
  }

  /** The client id of the order holding a slot, if any. */
  slotHolder(book: string, slot: string): string | undefined {
    return this.slots.get(book)?.get(slot);
  }

  /** The quote orders of a book, as the diff sees them. */
  quotesOf(book: string): LiveSlotOrder[] {
    const out: LiveSlotOrder[] = [];
    for (const id of this.slots.get(book)?.values() ?? []) {
      const q = this.orders.get(id)?.quote;
      if (q) out.push(q);
    }
    return out;
  }

  /** An amend the venue confirmed: the order carries the new price and qty (if still owned). */
  setQuotePrice(clientOrderId: string, price: string, qty: string): void {
    const o = this.orders.get(clientOrderId);
    if (o?.quote) o.quote = { ...o.quote, price, qty };
  }

  /** Client ids of the quote orders (of one symbol when named). */
  quoteIds(symbol?: string): string[] {
    return [...this.orders.values()].filter((o) => o.owner.kind === 'quote' && (symbol === undefined || o.symbol === symbol)).map((o) => o.clientOrderId);
  }

  get quoteCount(): number {
    let n = 0;
    for (const s of this.slots.values()) n += s.size;
    return n;
  }

  private remove(o: OwnedOrder): void {
    this.orders.delete(o.clientOrderId);
    if (o.owner.kind !== 'quote') return;
    const bookSlots = this.slots.get(o.owner.book);
    if (bookSlots?.get(o.owner.slot) === o.clientOrderId) bookSlots.delete(o.owner.slot);
    if (bookSlots?.size === 0) this.slots.delete(o.owner.book);
  }
}
