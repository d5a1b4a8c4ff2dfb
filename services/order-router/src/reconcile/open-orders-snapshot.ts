import type { Logger } from 'pino';
import type { Clock, OrderEvent } from '@perpetua/core';
import type { StateStore } from '@perpetua/state';
import type { LiveSlotOrder } from '../quote-diff.js';

export interface OpenOrdersSnapshotOptions {
  store: StateStore;
  clock: Clock;
  logger: Logger;
  venue: string;
  account: string;
  /** The router's open orders as they stand (built on each check: a few dozen at most). */
  current(): OrderEvent[];
  /** How often the orders are compared with the last saved list; changes within it are saved together (default 250 ms). */
  batchMs?: number;
  /** Most orders kept; beyond it the oldest are left out, with a warning (default 2,000). */
  maxOrders?: number;
}

/**
 * Keeps the router's open orders in the state store, for a restarted router to know its orders before the
 * venue answers. Batched: every batchMs the current list is compared with the last one saved and written only
 * when it changed, so a burst of quote changes is one write. Saves never overlap.
 */
export class OpenOrdersSnapshot {
  private lastSaved: string | undefined;
  private saving: Promise<void> | undefined;
  private stopped = false;
  private readonly timer: string;

  constructor(private readonly o: OpenOrdersSnapshotOptions) {
    this.timer = `open-orders-snapshot:${o.venue}:${o.account}`;
  }

  start(): void {
    this.o.clock.setTimer(this.timer, this.o.batchMs ?? 250, () => void this.save());
  }

  /** Saves now if the orders changed since the last save (waits for a save under way first). */
  async save(): Promise<void> {
    while (this.saving) await this.saving;
    const orders = this.bounded(this.o.current());
    // Without ts: a list saved again only because time moved on is no change.
    const key = JSON.stringify(orders.map(({ ts: _ts, ...o }) => o));
    if (key === this.lastSaved) return;
    this.saving = this.o.store
      .saveOpenOrders(this.o.venue, this.o.account, orders)
      .then(() => void (this.lastSaved = key))
      .catch((err: unknown) => this.o.logger.warn({ err }, 'saving the open orders failed; tried again on the next change check'))
      .finally(() => (this.saving = undefined));
    await this.saving;
  }

  /**
   * The last save: with `cleared` (every order was cancelled on stop) an empty list, else the orders as they
   * stand, which a restarted router then settles.
   */
  async stop(cleared: boolean): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.o.clock.cancelTimer(this.timer);
    while (this.saving) await this.saving;
    await this.o.store.saveOpenOrders(this.o.venue, this.o.account, cleared ? [] : this.bounded(this.o.current())).catch((err: unknown) => {
      this.o.logger.warn({ err }, 'saving the open orders on stop failed');
    });
  }

  private bounded(orders: OrderEvent[]): OrderEvent[] {
    const max = this.o.maxOrders ?? 2_000;
    if (orders.length <= max) return orders;
    this.o.logger.warn({ count: orders.length, max }, 'more open orders than the snapshot keeps: the oldest are left out');
    return orders.slice(-max);
  }
}

/** An order outside any quote set, as the router keeps it until it is final. */
export interface ImmediateOrder {
  symbol: string;
  side: 'buy' | 'sell';
  qty: string;
  price?: string;
}

/** One quote book's live orders (a strategy's quotes on one symbol). */
export interface QuoteBookOrders {
  strategy: string;
  symbol: string;
  orders: Iterable<LiveSlotOrder>;
}

const STRATEGY = /^[A-Za-z0-9_-]{1,48}$/;

/** Pure: the router's open orders as the order events the store keeps (strategy and slot name a quote's place). */
export function openOrderEvents(venue: string, account: string, ts: number, books: Iterable<QuoteBookOrders>, immediate: Iterable<[string, ImmediateOrder]>): OrderEvent[] {
  const out: OrderEvent[] = [];
  for (const b of books) {
    for (const o of b.orders) {
      out.push({ venue, account, symbol: b.symbol, clientOrderId: o.clientOrderId, side: o.side, price: o.price, qty: o.qty, filledQty: '0', status: 'new', ...(STRATEGY.test(b.strategy) ? { strategy: b.strategy } : {}), slot: o.slot, ts });
    }
  }
  for (const [clientOrderId, o] of immediate) {
    out.push({ venue, account, symbol: o.symbol, clientOrderId, side: o.side, ...(o.price !== undefined ? { price: o.price } : {}), qty: o.qty, filledQty: '0', status: 'new', ts });
  }
  return out;
}
