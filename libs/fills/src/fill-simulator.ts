import { dec, toNumber, type Decimal, type Side } from '@perpetua/core';
import type { BookLevel } from '@perpetua/core';
import { SnapshotDepth, type BookSide, type DepthView } from './depth-view.js';
import { feeFor, type FeeTier, type Liquidity } from './fee-tier.js';
import { zeroLatency, type LatencyModel } from './latency-model.js';
import type { QueueModel } from './queue-model.js';
import { advanceByTrade, joinQueue, type QueuePosition } from './queue-position.js';

export type TimeInForce = 'gtc' | 'post_only' | 'ioc' | 'fok';

export interface SimOrder {
  clientOrderId: string;
  side: Side;
  /** Snapped to the tick by the caller (the quoter snaps once, at the edge). */
  price: Decimal;
  qty: Decimal;
  tif: TimeInForce;
}

interface Timing {
  /** Venue time the event happened. */
  ts: number;
  /** When we learn of it: ts + response latency. */
  tsLocal: number;
}

export type SimEvent = Timing &
  (
    | { kind: 'accepted'; clientOrderId: string }
    | { kind: 'rejected'; clientOrderId: string; reason: string }
    | { kind: 'expired'; clientOrderId: string; reason: string }
    | { kind: 'canceled'; clientOrderId: string }
    | { kind: 'cancel_rejected'; clientOrderId: string; reason: string }
    | {
        kind: 'fill';
        clientOrderId: string;
        side: Side;
        price: Decimal;
        qty: Decimal;
        /** Paid (negative: rebate received), in quote currency. */
        fee: Decimal;
        liquidity: Liquidity;
        /** Cumulative filled size of the order after this fill. */
        filled: Decimal;
        done: boolean;
      }
  );

export interface FillSimulatorOptions {
  lotSize: Decimal;
  queue: QueueModel;
  fees: FeeTier;
  latency?: LatencyModel;
  /** Orders resting at once; beyond it a new order is rejected (the venue's own limit, and our memory bound). */
  maxOpenOrders?: number;
  /** Requests sent but not yet at the venue; beyond it a request is refused locally. */
  maxInFlight?: number;
  onEvent: (event: SimEvent) => void;
}

interface Resting {
  order: SimOrder;
  priceNum: number;
  bookSide: BookSide;
  qtyLots: number;
  filledLots: number;
  /** The level's size (without us) when last seen, the `prev` of the next depth change. */
  levelQty: number;
  queue: QueuePosition;
}

type Request = { at: number; kind: 'place'; order: SimOrder } | { at: number; kind: 'cancel'; clientOrderId: string };

/**
 * One symbol on one venue, simulated for our orders only: the venue's book and
 * trades come from market data, our orders are placed into it with latency,
 * queue behind the size already at their price and fill as the queue model and
 * the trades say. Pure: time is whatever the caller's events carry.
 *
 * Rules (docs/BACKTEST.md):
 * - a request reaches the venue `latency.entry()` / `latency.cancel()` ms after it
 *   is sent, and its outcome reaches us `latency.response()` ms later;
 * - an order that would cross on arrival is rejected when post-only, else takes
 *   the visible levels up to its limit (taker fee); what is left of an IOC/FOK expires;
 * - a resting order joins the back of its level; a trade at its price by the other
 *   side advances the queue and the part beyond the queue fills it (partially, in
 *   whole lots); a trade through its price fills it up to the trade's size, and
 *   the opposite side resting at or through its price fills it up to that size,
 *   always at the order's own price (maker fee).
 */
export class FillSimulator {
  private readonly lot: Decimal;
  private readonly lotNum: number;
  private readonly latency: LatencyModel;
  private readonly maxOpen: number;
  private readonly maxInFlight: number;
  private readonly orders = new Map<string, Resting>();
  private readonly pending: Request[] = [];
  private readonly snapshot = new SnapshotDepth();
  private depth: DepthView = this.snapshot;
  private now = -Infinity;

  constructor(private readonly opts: FillSimulatorOptions) {
    if (opts.lotSize <= 0n) throw new RangeError('lotSize must be positive');
    this.lot = opts.lotSize;
    this.lotNum = toNumber(opts.lotSize);
    this.latency = opts.latency ?? zeroLatency;
    this.maxOpen = opts.maxOpenOrders ?? 64;
    this.maxInFlight = opts.maxInFlight ?? 1024;
  }

  get openOrderCount(): number {
    return this.orders.size;
  }

  get inFlightCount(): number {
    return this.pending.length;
  }

  /** Is a request (place or cancel) for this order still on its way to the venue? */
  isInFlight(clientOrderId: string): boolean {
    return this.pending.some((r) => (r.kind === 'place' ? r.order.clientOrderId : r.clientOrderId) === clientOrderId);
  }

  /** Venue time the next request in flight arrives. */
  nextArrival(): number | undefined {
    return this.pending[0]?.at;
  }

  /** Our order resting at the venue, with its estimated queue position. */
  orderState(clientOrderId: string): { ahead: number; filled: Decimal; remaining: Decimal } | undefined {
    const o = this.orders.get(clientOrderId);
    if (!o) return undefined;
    return { ahead: o.queue.ahead, filled: this.lotsToQty(o.filledLots), remaining: this.lotsToQty(o.qtyLots - o.filledLots) };
  }

  /** Sends a new order at local time `ts`; it reaches the venue after the entry latency. */
  submit(order: SimOrder, ts: number): void {
    this.enqueue({ at: ts + this.latency.entry(), kind: 'place', order }, order.clientOrderId, ts);
  }

  /** Sends a cancel at local time `ts`; it reaches the venue after the cancel latency. */
  cancel(clientOrderId: string, ts: number): void {
    this.enqueue({ at: ts + this.latency.cancel(), kind: 'cancel', clientOrderId }, clientOrderId, ts);
  }

  /** Processes every request that has reached the venue by venue time `ts`. */
  advance(ts: number): void {
    if (ts > this.now) this.now = ts;
    while (this.pending.length > 0 && this.pending[0]!.at <= this.now) {
      const req = this.pending.shift()!;
      if (req.kind === 'place') this.arrive(req.order, req.at);
      else this.arriveCancel(req.clientOrderId, req.at);
    }
  }

  /** A top-N book snapshot at venue time `ts` (the arrays are kept by reference until the next one). */
  onBook(bids: readonly BookLevel[], asks: readonly BookLevel[], ts: number): void {
    this.advance(ts);
    this.snapshot.set(bids, asks);
    this.depth = this.snapshot;
    this.depthChanged();
  }

  /** The caller's own full-depth book changed (deltas applied) at venue time `ts`. */
  onDepth(view: DepthView, ts: number): void {
    this.advance(ts);
    this.depth = view;
    this.depthChanged();
  }

  /** A public trade at venue time `ts`; `aggressor` is the taker's side. */
  onTrade(price: number, size: number, aggressor: Side, ts: number): void {
    this.advance(ts);
    if (this.orders.size === 0) return;
    const passive: Side = aggressor === 'sell' ? 'buy' : 'sell';
    for (const o of this.orders.values()) {
      if (o.order.side !== passive) continue;
      const through = passive === 'buy' ? price < o.priceNum : price > o.priceNum;
      if (through) {
        // The taker went past our price, so our level was used up; had our order been there, the size printed
        // beyond it would have traded with us instead: fill up to that size (the taker's quantity is conserved).
        o.queue.ahead = 0;
        const lots = Math.min(o.qtyLots - o.filledLots, Math.floor(size / this.lotNum + 1e-9));
        if (lots > 0) this.fill(o, lots, 'maker', o.order.price, this.now);
        continue;
      }
      if (price !== o.priceNum) continue;
      const reached = advanceByTrade(o.queue, size);
      const lots = Math.min(o.qtyLots - o.filledLots, Math.floor(reached / this.lotNum + 1e-9));
      if (lots > 0) this.fill(o, lots, 'maker', o.order.price, this.now);
    }
  }

  private enqueue(req: Request, clientOrderId: string, ts: number): void {
    if (this.pending.length >= this.maxInFlight) {
      const reason = `more than ${this.maxInFlight} requests in flight`;
      if (req.kind === 'place') this.emit({ kind: 'rejected', clientOrderId, reason, ts, tsLocal: ts });
      else this.emit({ kind: 'cancel_rejected', clientOrderId, reason, ts, tsLocal: ts });
      return;
    }
    // Sorted by arrival; equal arrivals keep the order they were sent in.
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1]!.at > req.at) i--;
    this.pending.splice(i, 0, req);
  }

  private depthChanged(): void {
    if (this.orders.size === 0) return;
    for (const o of this.orders.values()) {
      const q = this.depth.qtyAt(o.bookSide, o.priceNum);
      if (q === undefined || q === o.levelQty) continue;
      this.opts.queue.onDepth(o.queue, o.levelQty, q);
      o.levelQty = q;
    }
    const bid = this.depth.bestBid();
    const ask = this.depth.bestAsk();
    for (const o of this.orders.values()) {
      const crossed = o.order.side === 'buy' ? ask !== undefined && ask <= o.priceNum : bid !== undefined && bid >= o.priceNum;
      if (!crossed) continue;
      // The other side now rests at or through our price: it would have matched us, up to its size there.
      let across = 0;
      this.depth.forEachLevel(o.order.side === 'buy' ? 'ask' : 'bid', (p, q) => {
        if (o.order.side === 'buy' ? p > o.priceNum : p < o.priceNum) return false;
        across += q;
        return true;
      });
      o.queue.ahead = 0;
      const lots = Math.min(o.qtyLots - o.filledLots, Math.floor(across / this.lotNum + 1e-9));
      if (lots > 0) this.fill(o, lots, 'maker', o.order.price, this.now);
    }
  }

  private arrive(order: SimOrder, at: number): void {
    const id = order.clientOrderId;
    if (this.orders.has(id)) return this.reject(id, 'duplicate client order id', at);
    if (order.qty <= 0n || order.qty % this.lot !== 0n) return this.reject(id, 'size is not a positive multiple of the lot', at);
    if (order.price <= 0n) return this.reject(id, 'price must be positive', at);
    if (this.orders.size >= this.maxOpen) return this.reject(id, `more than ${this.maxOpen} open orders`, at);
    const priceNum = toNumber(order.price);
    const bookSide: BookSide = order.side === 'buy' ? 'bid' : 'ask';
    const touch = order.side === 'buy' ? this.depth.bestAsk() : this.depth.bestBid();
    const marketable = touch !== undefined && (order.side === 'buy' ? touch <= priceNum : touch >= priceNum);
    if (marketable && order.tif === 'post_only') return this.reject(id, 'post-only order would cross', at);
    const levelQty = this.depth.qtyAt(bookSide, priceNum) ?? 0;
    const o: Resting = { order, priceNum, bookSide, qtyLots: Number(order.qty / this.lot), filledLots: 0, levelQty, queue: joinQueue(marketable ? 0 : levelQty) };
    if (marketable) {
      // Walk the opposite side up to our limit, as the venue's matching would.
      const takes: Array<[number, number]> = [];
      let lotsLeft = o.qtyLots;
      this.depth.forEachLevel(order.side === 'buy' ? 'ask' : 'bid', (p, q) => {
        if (order.side === 'buy' ? p > priceNum : p < priceNum) return false;
        const lots = Math.min(lotsLeft, Math.floor(q / this.lotNum + 1e-9));
        if (lots > 0) takes.push([p, lots]);
        lotsLeft -= lots;
        return lotsLeft > 0;
      });
      if (order.tif === 'fok' && lotsLeft > 0) {
        this.emit({ kind: 'expired', clientOrderId: id, reason: 'fill-or-kill could not fill in full', ts: at, tsLocal: at + this.latency.response() });
        return;
      }
      this.orders.set(id, o);
      this.emit({ kind: 'accepted', clientOrderId: id, ts: at, tsLocal: at + this.latency.response() });
      for (const [p, lots] of takes) this.fill(o, lots, 'taker', dec(p), at);
      if (o.filledLots >= o.qtyLots) return;
      if (order.tif !== 'gtc') {
        this.orders.delete(id);
        this.emit({ kind: 'expired', clientOrderId: id, reason: 'not marketable', ts: at, tsLocal: at + this.latency.response() });
        return;
      }
      // The rest of a GTC order rests at its limit, first in its (new) level.
      o.levelQty = 0;
      return;
    }
    if (order.tif === 'ioc' || order.tif === 'fok') {
      this.emit({ kind: 'expired', clientOrderId: id, reason: 'not marketable', ts: at, tsLocal: at + this.latency.response() });
      return;
    }
    this.orders.set(id, o);
    this.emit({ kind: 'accepted', clientOrderId: id, ts: at, tsLocal: at + this.latency.response() });
  }

  /** A method, not a closure made per arrival: the backtest places thousands of orders. */
  private reject(clientOrderId: string, reason: string, at: number): void {
    this.emit({ kind: 'rejected', clientOrderId, reason, ts: at, tsLocal: at + this.latency.response() });
  }

  private arriveCancel(clientOrderId: string, at: number): void {
    const tsLocal = at + this.latency.response();
    if (!this.orders.delete(clientOrderId)) {
      this.emit({ kind: 'cancel_rejected', clientOrderId, reason: 'unknown order (filled, cancelled or not yet arrived)', ts: at, tsLocal });
      return;
    }
    this.emit({ kind: 'canceled', clientOrderId, ts: at, tsLocal });
  }

  private fill(o: Resting, lots: number, liquidity: Liquidity, price: Decimal, ts: number): void {
    if (lots <= 0) return;
    o.filledLots += lots;
    const qty = this.lotsToQty(lots);
    const done = o.filledLots >= o.qtyLots;
    if (done) this.orders.delete(o.order.clientOrderId);
    this.emit({
      kind: 'fill',
      clientOrderId: o.order.clientOrderId,
      side: o.order.side,
      price,
      qty,
      fee: feeFor(this.opts.fees, liquidity, price, qty),
      liquidity,
      filled: this.lotsToQty(o.filledLots),
      done,
      ts,
      tsLocal: ts + this.latency.response(),
    });
  }

  private lotsToQty(lots: number): Decimal {
    return (BigInt(lots) * this.lot) as Decimal; // whole lots times the lot: exact
  }

  private emit(e: SimEvent): void {
    this.opts.onEvent(e);
  }
}
