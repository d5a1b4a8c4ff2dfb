import type { EngineOrder, SideCode } from './engine-order.js';

/** All resting orders at one price, oldest first (time priority). */
export class PriceLevel {
  lots = 0;
  count = 0;
  head: EngineOrder | null = null;
  tail: EngineOrder | null = null;
  constructor(readonly tick: number) {}
}

/**
 * One side of a book: levels sorted best-first in an array (books here hold tens of levels, so a binary search plus
 * splice beats a tree), a map for O(1) level lookup, and the set of ticks changed since the last diff was taken.
 */
export class BookSide {
  /** Level ticks, best first (bids descending, asks ascending). */
  readonly ticks: number[] = [];
  readonly levels = new Map<number, PriceLevel>();
  readonly changed = new Set<number>();

  constructor(readonly code: SideCode) {}

  get best(): PriceLevel | undefined {
    const t = this.ticks[0];
    return t === undefined ? undefined : this.levels.get(t);
  }

  get bestTick(): number | undefined {
    return this.ticks[0];
  }

  /** True when `a` is a better price than `b` on this side. */
  better(a: number, b: number): boolean {
    return this.code === 0 ? a > b : a < b;
  }

  /** Appends the order at the back of its price's queue. */
  add(order: EngineOrder): void {
    let level = this.levels.get(order.tick);
    if (!level) {
      level = new PriceLevel(order.tick);
      this.levels.set(order.tick, level);
      this.ticks.splice(this.insertionIndex(order.tick), 0, order.tick);
    }
    order.level = level;
    order.prev = level.tail;
    order.next = null;
    if (level.tail) level.tail.next = order;
    else level.head = order;
    level.tail = order;
    level.count++;
    level.lots += order.remainingLots;
    this.changed.add(order.tick);
  }

  /** Unlinks a resting order; drops its level when empty. */
  remove(order: EngineOrder): void {
    const level = order.level;
    if (!level) return;
    if (order.prev) order.prev.next = order.next;
    else level.head = order.next;
    if (order.next) order.next.prev = order.prev;
    else level.tail = order.prev;
    order.prev = order.next = null;
    order.level = null;
    level.count--;
    level.lots -= order.remainingLots;
    this.changed.add(level.tick);
    if (level.count === 0) {
      this.levels.delete(level.tick);
      const i = this.indexOf(level.tick);
      if (i >= 0) this.ticks.splice(i, 1);
    }
  }

  /** A resting order traded `lots` (its filledLots is updated by the caller). */
  reduce(order: EngineOrder, lots: number): void {
    const level = order.level;
    if (!level) return;
    level.lots -= lots;
    this.changed.add(level.tick);
  }

  private insertionIndex(tick: number): number {
    const t = this.ticks;
    let lo = 0;
    let hi = t.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.better(t[mid]!, tick)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(tick: number): number {
    const i = this.insertionIndex(tick);
    return this.ticks[i] === tick ? i : -1;
  }
}

/** One symbol's order book plus its market-data sequence counters. */
export class OrderBook {
  readonly bids = new BookSide(0);
  readonly asks = new BookSide(1);
  /** Last book update id handed out (the snapshot's lastUpdateId once pending diffs are flushed). */
  updateId = 0;
  tradeSeq = 0;

  constructor(readonly symbol: string) {}

  side(code: SideCode): BookSide {
    return code === 0 ? this.bids : this.asks;
  }

  get dirty(): boolean {
    return this.bids.changed.size > 0 || this.asks.changed.size > 0;
  }
}
