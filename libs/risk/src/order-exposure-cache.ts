import { D, ZERO, dec, type Decimal, type OrderEvent, type Side, type WantedQuote } from '@perpetua/core';

/**
 * One order that rests on a venue or may be about to (in flight), as risk counts it. `qty` is what could
 * still fill: the unfilled rest of a resting order, the whole size of one in flight.
 */
export interface LiveOrder {
  side: Side;
  /** Limit price; absent for a market order the venue reported without one. */
  price?: Decimal;
  qty: Decimal;
  /** The order's full size as placed (or last amended), where it is an order the venue reported: what the router's slot holds. */
  orderQty?: Decimal;
  /** Not yet confirmed resting by the venue: approved by risk and not yet acknowledged, or pending/unknown at the venue. */
  inFlight: boolean;
  /** Risk approved it and no event has shown it yet (the venue may not have it at all). */
  approval?: boolean;
  /** The quote book that holds it, when the router placed it for a quote set. */
  strategy?: string;
  slot?: string;
  /**
   * The larger size of a superseded, still unacknowledged approval for the same slot, beyond the latest one.
   * Counted in the worst case, but never as an order of its own: the router keeps at most one live order
   * per slot and places a slot's next order only after the previous one is settled.
   */
  reserve?: boolean;
}

/** What rests and what is in flight on one venue + account + symbol. */
export interface OrderExposure {
  restingBuy: Decimal;
  restingSell: Decimal;
  inFlightBuy: Decimal;
  inFlightSell: Decimal;
  /** Orders that are or may be open: slotted ones counted once per slot, others one each. */
  openOrders: number;
}

export interface OrderExposureCacheOptions {
  /** How long an approved immediate order no event has answered keeps counting (ms); longer than the router's request timeout. */
  inFlightTimeoutMs?: number;
  /**
   * How long an approved quote no event has shown keeps counting (ms). Shorter: a strategy re-quoting faster
   * than its router works leaves approvals the router replaced before placing, and those never get an event
   * (the router names them skipped, `dropSkipped`; this bounds the ones a lost message leaves).
   */
  quoteInFlightTimeoutMs?: number;
  /** Most open orders tracked; beyond it the oldest is dropped and counted in `overflowDropped`. */
  maxOrders?: number;
  /** Most unacknowledged approvals kept; beyond it the oldest is dropped and counted in `overflowDropped`. */
  maxApprovals?: number;
  /** Closed order ids remembered, so a late open event cannot bring a closed order back. */
  maxClosed?: number;
}

interface TrackedOrder {
  key: string;
  book: string;
  side: Side;
  price?: Decimal;
  qty: Decimal;
  filled: Decimal;
  rank: number;
  strategy?: string;
  slot?: string;
}

interface Approval {
  side: Side;
  price: Decimal;
  qty: Decimal;
  at: number;
}

/** A quote's approval, with the quote sets (intent ids) that asked for it: it ends when none of them may still be worked. */
interface QuoteApproval extends Approval {
  sets: Set<string>;
}

/** Open statuses by how far they got: a late, less advanced event never moves an order back. */
const OPEN_RANK: Readonly<Record<string, number>> = { pending: 0, unknown: 0, new: 1, partially_filled: 2 };
const CLOSED: ReadonlySet<string> = new Set(['filled', 'canceled', 'rejected', 'expired']);
/** Unacknowledged approvals kept per slot: a strategy re-quoting faster than its router works. */
const MAX_PER_SLOT = 16;

/**
 * Risk's order cache, pure (time is passed in): what the routers' order events say rests on each venue,
 * account and symbol, and what risk approved that no event has confirmed yet (in flight). Risk judges every
 * new intent against this worst case — everything resting and in flight filling — rather than against its
 * own last decision, so an order whose cancel the venue refused keeps counting until the venue confirms it
 * gone, and an IOC leg counts from its approval until the venue answers.
 *
 * Approvals end when an event confirms them (same client id for an order; same strategy, slot, side, price
 * and size for a quote), when the router says it skipped every quote set that asked for a quote (it replaced
 * them by a newer set before working them: `dropSkipped`), or after a timeout (`inFlightTimeoutMs`,
 * `quoteInFlightTimeoutMs`), so an intent the router never acted on does not pin exposure forever. Closed
 * orders are dropped at once; every collection has a cap.
 */
export class OrderExposureCache {
  private readonly timeoutMs: number;
  private readonly quoteTimeoutMs: number;
  private readonly maxOrders: number;
  private readonly maxApprovals: number;
  private readonly maxClosed: number;
  /** Open orders by venue + account + client id, in arrival order (the cap drops the oldest). */
  private readonly orders = new Map<string, TrackedOrder>();
  /** The same orders by venue + account + symbol, for queries. */
  private readonly byBook = new Map<string, Map<string, TrackedOrder>>();
  private readonly closed = new Set<string>();
  /** Unacknowledged immediate orders by venue + account + client id. */
  private readonly orderApprovals = new Map<string, Approval & { book: string }>();
  /** Unacknowledged quotes by book, then strategy + slot: oldest first. */
  private readonly quoteApprovals = new Map<string, Map<string, QuoteApproval[]>>();
  private approvalCount = 0;
  /** Entries dropped because a cap was reached (exported as a metric by the service). */
  overflowDropped = 0;

  constructor(options: OrderExposureCacheOptions = {}) {
    this.timeoutMs = options.inFlightTimeoutMs ?? 15_000;
    this.quoteTimeoutMs = options.quoteInFlightTimeoutMs ?? 2_000;
    this.maxOrders = options.maxOrders ?? 10_000;
    this.maxApprovals = options.maxApprovals ?? 10_000;
    this.maxClosed = options.maxClosed ?? 10_000;
  }

  /** A router's order event (order.event.<venue>). Applying the same event again changes nothing. */
  applyEvent(e: OrderEvent): void {
    const key = orderKey(e.venue, e.account, e.clientOrderId);
    const book = bookKey(e.venue, e.account, e.symbol);
    if (this.orderApprovals.delete(key)) this.approvalCount--;
    if (e.strategy !== undefined && e.slot !== undefined) this.confirmQuote(book, e);
    if (this.closed.has(key)) return;
    if (CLOSED.has(e.status)) {
      this.remove(key);
      this.closed.add(key);
      if (this.closed.size > this.maxClosed) this.closed.delete(this.closed.values().next().value!);
      return;
    }
    const rank = OPEN_RANK[e.status] ?? 0;
    const prev = this.orders.get(key);
    const order: TrackedOrder = {
      key,
      book,
      side: e.side,
      ...(e.price !== undefined ? { price: dec(e.price) } : prev?.price !== undefined ? { price: prev.price } : {}),
      // Price and size follow the latest event (an amend changes them in place); fills and status only advance.
      qty: dec(e.qty),
      filled: D.max(dec(e.filledQty), prev?.filled ?? ZERO),
      rank: Math.max(rank, prev?.rank ?? 0),
      ...(e.strategy !== undefined ? { strategy: e.strategy } : prev?.strategy !== undefined ? { strategy: prev.strategy } : {}),
      ...(e.slot !== undefined ? { slot: e.slot } : prev?.slot !== undefined ? { slot: prev.slot } : {}),
    };
    if (prev && prev.book !== book) this.remove(key); // a symbol the order never had: the latest word wins
    this.orders.set(key, order); // a known key keeps its place in arrival order
    let m = this.byBook.get(book);
    if (!m) this.byBook.set(book, (m = new Map()));
    m.set(key, order);
    if (this.orders.size > this.maxOrders) {
      this.remove(this.orders.keys().next().value!);
      this.overflowDropped++;
    }
  }

  /** Risk approved an immediate order (IOC/FOK): in flight until an event for its client id. */
  approveOrder(o: { venue: string; account: string; symbol: string; clientOrderId: string; side: Side; price: string; qty: string }, now: number): void {
    const key = orderKey(o.venue, o.account, o.clientOrderId);
    if (this.orders.has(key) || this.closed.has(key) || this.orderApprovals.has(key)) return;
    this.orderApprovals.set(key, { book: bookKey(o.venue, o.account, o.symbol), side: o.side, price: dec(o.price), qty: dec(o.qty), at: now });
    this.approvalCount++;
    this.capApprovals();
  }

  /**
   * Risk approved a quote set: each quote not already resting as it is in its slot is in flight until the
   * router's event for that slot shows it (or refuses it). Orders the set drops or replaces are not touched
   * here: they count until the venue confirms their cancel.
   */
  approveQuotes(s: { venue: string; account: string; symbol: string; strategy: string; intentId: string; quotes: readonly WantedQuote[] }, now: number): void {
    const book = bookKey(s.venue, s.account, s.symbol);
    const resting = [...(this.byBook.get(book)?.values() ?? [])].filter((o) => o.strategy === s.strategy);
    for (const q of s.quotes) {
      const a: QuoteApproval = { side: q.side, price: dec(q.price), qty: dec(q.qty), at: now, sets: new Set([s.intentId]) };
      if (resting.some((o) => o.slot === q.slot && sameQuote(o, a))) continue;
      let slots = this.quoteApprovals.get(book);
      if (!slots) this.quoteApprovals.set(book, (slots = new Map()));
      const k = slotKey(s.strategy, q.slot);
      const list = slots.get(k) ?? [];
      const same = list.findIndex((x) => sameQuote(x, a));
      // The same quote asked again: it moves to the end (latest) with a fresh timeout, still owed to every set that asked.
      if (same >= 0) for (const id of list.splice(same, 1)[0]!.sets) a.sets.add(id);
      else this.approvalCount++;
      list.push(a);
      if (list.length > MAX_PER_SLOT) {
        list.shift();
        this.approvalCount--;
        this.overflowDropped++;
      }
      slots.set(k, list);
    }
    this.capApprovals();
  }

  /**
   * The venue's router replaced these quote sets of a strategy by a newer one before working them: they will
   * never be placed, so their approvals stop counting now (an approval another set also asked for stays,
   * owed to that set). Ids the cache does not hold are ignored.
   */
  dropSkipped(s: { venue: string; account: string; symbol: string; strategy: string; intentIds: readonly string[] }): void {
    const slots = this.quoteApprovals.get(bookKey(s.venue, s.account, s.symbol));
    if (!slots || s.intentIds.length === 0) return;
    for (const [k, list] of slots) {
      if (splitSlotKey(k).strategy !== s.strategy) continue;
      for (const a of list) for (const id of s.intentIds) a.sets.delete(id);
      const kept = list.filter((a) => a.sets.size > 0);
      this.approvalCount -= list.length - kept.length;
      if (kept.length === 0) slots.delete(k);
      else if (kept.length !== list.length) slots.set(k, kept);
    }
    if (slots.size === 0) this.quoteApprovals.delete(bookKey(s.venue, s.account, s.symbol));
  }

  /** Everything open or in flight on a venue + account + symbol. */
  live(venue: string, account: string, symbol: string, now: number): LiveOrder[] {
    this.expire(now);
    const book = bookKey(venue, account, symbol);
    const out: LiveOrder[] = [];
    for (const o of this.byBook.get(book)?.values() ?? []) {
      const rest = D.sub(o.qty, o.filled);
      if (rest <= 0n) continue;
      out.push({ side: o.side, ...(o.price !== undefined ? { price: o.price } : {}), qty: rest, orderQty: o.qty, inFlight: o.rank === 0, ...(o.strategy !== undefined ? { strategy: o.strategy } : {}), ...(o.slot !== undefined ? { slot: o.slot } : {}) });
    }
    for (const a of this.orderApprovals.values()) if (a.book === book) out.push({ side: a.side, price: a.price, qty: a.qty, inFlight: true, approval: true });
    for (const [k, list] of this.quoteApprovals.get(book) ?? []) {
      const latest = list.at(-1);
      if (!latest) continue;
      const { strategy, slot } = splitSlotKey(k);
      out.push({ side: latest.side, price: latest.price, qty: latest.qty, inFlight: true, approval: true, strategy, slot });
      for (const side of ['buy', 'sell'] as const) {
        const older = list.slice(0, -1).filter((a) => a.side === side);
        if (older.length === 0) continue;
        const biggest = older.reduce((m, a) => (a.qty > m.qty ? a : m));
        const extra = D.sub(biggest.qty, latest.side === side ? latest.qty : ZERO);
        if (extra > 0n) out.push({ side, price: biggest.price, qty: extra, inFlight: true, approval: true, strategy, slot, reserve: true });
      }
    }
    return out;
  }

  /**
   * Every quote-book order (slotted, with a price) live on a venue and symbol, over all accounts, but
   * `except`'s own: what a new quote or order must not trade with.
   */
  quotes(venue: string, symbol: string, now: number, except?: string): (LiveOrder & { strategy: string; slot: string; price: Decimal })[] {
    const out: (LiveOrder & { strategy: string; slot: string; price: Decimal })[] = [];
    const books = new Set([...this.byBook.keys(), ...this.quoteApprovals.keys()]);
    for (const book of books) {
      const [v, account, s] = book.split('\u0000') as [string, string, string];
      if (v !== venue || s !== symbol) continue;
      for (const o of this.live(venue, account, symbol, now)) {
        if (o.strategy !== undefined && o.slot !== undefined && o.price !== undefined && !o.reserve && o.strategy !== except) out.push({ ...o, strategy: o.strategy, slot: o.slot, price: o.price });
      }
    }
    return out;
  }

  /** Resting and in-flight sizes per side and the open-order count on a venue + account + symbol. */
  exposure(venue: string, account: string, symbol: string, now: number): OrderExposure {
    return summarize(this.live(venue, account, symbol, now));
  }

  /** Open orders and unacknowledged approvals held (for the bound's gauge). */
  get size(): { orders: number; approvals: number; closed: number } {
    return { orders: this.orders.size, approvals: this.approvalCount, closed: this.closed.size };
  }

  /** Drops approvals older than the timeout. */
  expire(now: number): void {
    for (const [k, a] of this.orderApprovals) {
      if (now - a.at >= this.timeoutMs) {
        this.orderApprovals.delete(k);
        this.approvalCount--;
      }
    }
    for (const [book, slots] of this.quoteApprovals) {
      for (const [k, list] of slots) {
        const kept = list.filter((a) => now - a.at < this.quoteTimeoutMs);
        this.approvalCount -= list.length - kept.length;
        if (kept.length === 0) slots.delete(k);
        else if (kept.length !== list.length) slots.set(k, kept);
      }
      if (slots.size === 0) this.quoteApprovals.delete(book);
    }
  }

  /** An event for a slot settles the approval it shows and every older one of that slot (the router works a slot's sets in order). */
  private confirmQuote(book: string, e: OrderEvent): void {
    const slots = this.quoteApprovals.get(book);
    const k = slotKey(e.strategy!, e.slot!);
    const list = slots?.get(k);
    if (!slots || !list || e.price === undefined) return;
    const shown: Pick<Approval, 'side' | 'price' | 'qty'> = { side: e.side, price: dec(e.price), qty: dec(e.qty) };
    const i = list.findIndex((a) => sameQuote(a, shown));
    if (i < 0) return;
    this.approvalCount -= i + 1;
    const rest = list.slice(i + 1);
    if (rest.length === 0) slots.delete(k);
    else slots.set(k, rest);
    if (slots.size === 0) this.quoteApprovals.delete(book);
  }

  private remove(key: string): void {
    const o = this.orders.get(key);
    if (!o) return;
    this.orders.delete(key);
    const m = this.byBook.get(o.book);
    m?.delete(key);
    if (m?.size === 0) this.byBook.delete(o.book);
  }

  /** Beyond the cap the oldest approval goes: immediate orders first (they have the tightest answer), then quotes. */
  private capApprovals(): void {
    while (this.approvalCount > this.maxApprovals) {
      this.overflowDropped++;
      this.approvalCount--;
      const first = this.orderApprovals.keys().next();
      if (!first.done) {
        this.orderApprovals.delete(first.value);
        continue;
      }
      const [book, slots] = this.quoteApprovals.entries().next().value!;
      const [k, list] = slots.entries().next().value!;
      list.shift();
      if (list.length === 0) slots.delete(k);
      if (slots.size === 0) this.quoteApprovals.delete(book);
    }
  }
}

/** Sizes per side (resting vs in flight) and the open-order count of a set of live orders. */
export function summarize(live: readonly LiveOrder[]): OrderExposure {
  const e: OrderExposure = { restingBuy: ZERO, restingSell: ZERO, inFlightBuy: ZERO, inFlightSell: ZERO, openOrders: 0 };
  const slots = new Set<string>();
  for (const o of live) {
    if (o.side === 'buy') {
      if (o.inFlight) e.inFlightBuy = D.add(e.inFlightBuy, o.qty);
      else e.restingBuy = D.add(e.restingBuy, o.qty);
    } else if (o.inFlight) e.inFlightSell = D.add(e.inFlightSell, o.qty);
    else e.restingSell = D.add(e.restingSell, o.qty);
    if (o.strategy !== undefined && o.slot !== undefined) slots.add(slotKey(o.strategy, o.slot));
    else if (!o.reserve) e.openOrders++;
  }
  e.openOrders += slots.size;
  return e;
}

function sameQuote(a: { side: Side; price?: Decimal; qty: Decimal }, b: { side: Side; price: Decimal; qty: Decimal }): boolean {
  return a.side === b.side && a.price === b.price && a.qty === b.qty;
}

function orderKey(venue: string, account: string, clientOrderId: string): string {
  return `${venue}\u0000${account}\u0000${clientOrderId}`;
}

function bookKey(venue: string, account: string, symbol: string): string {
  return `${venue}\u0000${account}\u0000${symbol}`;
}

function slotKey(strategy: string, slot: string): string {
  return `${strategy}\u0000${slot}`;
}

function splitSlotKey(k: string): { strategy: string; slot: string } {
  const i = k.indexOf('\u0000');
  return { strategy: k.slice(0, i), slot: k.slice(i + 1) };
}
