import type { SideCode } from './side-code.js';
import type { SimLevel } from './types.js';

/**
 * What the book needs of a resting order: its price and size, and the links of its level's FIFO. The order type is a
 * parameter (the engine's EngineOrder), so the book imports no order back.
 */
export interface RestingOrder<O extends RestingOrder<O>> {
  readonly tick: number;
  readonly remainingLots: number;
  prev: O | null;
  next: O | null;
  level: PriceLevel<O> | null;
}

/** All resting orders at one price, oldest first (time priority). */
export class PriceLevel<O extends RestingOrder<O>> {
  lots = 0;
  count = 0;
  head: O | null = null;
  tail: O | null = null;
  /**
   * The level as [price, size] text, built on first use and kept until the size changes: snapshots and diffs are
   * taken far more often than a deep level changes, so most levels are formatted once (see level-texts.ts). Shared
   * by every snapshot and diff that shows the level, hence read-only (SimLevel).
   */
  texts: SimLevel | undefined = undefined;
  /** The lots `texts` was built for. */
  textsLots = 0;
  constructor(readonly tick: number) {}
}

/**
 * One side of a book: levels sorted best-first in an array (books here hold tens of levels, so a binary search plus
 * splice beats a tree), a map for O(1) level lookup, and the set of ticks changed since the last diff was taken.
 */
export class BookSide<O extends RestingOrder<O>> {
  /** Level ticks, best first (bids descending, asks ascending). */
  readonly ticks: number[] = [];
  readonly levels = new Map<number, PriceLevel<O>>();
  /**
   * Ticks changed since the last diff, in the order they changed, repeats included: an append per change is cheaper
   * than a Set, and takeChanged sorts and de-duplicates once per diff. Reused, so steady state allocates nothing.
   */
  private readonly changed: number[] = [];

  constructor(readonly code: SideCode) {}

  get best(): PriceLevel<O> | undefined {
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
  add(order: O): void {
    let level = this.levels.get(order.tick);
    if (!level) {
      level = new PriceLevel<O>(order.tick);
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
    this.changed.push(order.tick);
  }

  /** Unlinks a resting order; drops its level when empty. */
  remove(order: O): void {
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
    this.changed.push(level.tick);
    if (level.count === 0) {
      this.levels.delete(level.tick);
      const i = this.indexOf(level.tick);
      if (i >= 0) this.ticks.splice(i, 1);
    }
  }

  /** A resting order traded `lots` (its filledLots is updated by the caller). */
  reduce(order: O, lots: number): void {
    const level = order.level;
    if (!level) return;
    level.lots -= lots;
    this.changed.push(level.tick);
  }

  get hasChanges(): boolean {
    return this.changed.length > 0;
  }

  /**
   * The changed ticks best first, each once, and forgets them. An insertion sort in place: a step changes a handful
   * of levels, and Array.prototype.sort would allocate a work copy each time.
   */
  takeChanged(): number[] {
    const t = this.changed;
    const desc = this.code === 0;
    let n = 0;
    for (let k = 0; k < t.length; k++) {
      const tick = t[k]!;
      let i = n;
      while (i > 0 && (desc ? t[i - 1]! < tick : t[i - 1]! > tick)) i--;
      if (i > 0 && t[i - 1] === tick) continue; // already taken
      for (let j = n; j > i; j--) t[j] = t[j - 1]!;
      t[i] = tick;
      n++;
    }
    const out = t.slice(0, n);
    t.length = 0;
    return out;
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
export class OrderBook<O extends RestingOrder<O>> {
  readonly bids = new BookSide<O>(0);
  readonly asks = new BookSide<O>(1);
  /** Last book update id handed out (the snapshot's lastUpdateId once pending diffs are flushed). */
  updateId = 0;
  tradeSeq = 0;

  constructor(readonly symbol: string) {}

  side(code: SideCode): BookSide<O> {
    return code === 0 ? this.bids : this.asks;
  }

  get dirty(): boolean {
    return this.bids.hasChanges || this.asks.hasChanges;
  }
}
