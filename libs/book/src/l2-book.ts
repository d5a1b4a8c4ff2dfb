import { BookError } from './book-error.js';
import type { BookSide, Level } from './level.js';
import { SequenceGuard, assertSeq, type SeqCheck } from './sequence-guard.js';
import { SortedLevels } from './sorted-levels.js';

export interface L2BookOptions {
  /**
   * Deltas must carry seq = previous + 1. A delta that does not is not applied
   * and `applyDelta` returns 'gap' or 'stale' so the adapter can resync.
   */
  requireContiguous?: boolean;
}

/** Both sides of a delta; either may be omitted. */
export interface BookDelta {
  bids?: readonly Level[];
  asks?: readonly Level[];
}

/** Top of book as plain `[price, size]` arrays: bids descending, asks ascending. */
export interface BookLevels {
  bids: [number, number][];
  asks: [number, number][];
}

/**
 * A fraction of the requested size that may be left unfilled by float rounding
 * and still count as filled (sizes summed level by level rarely add up exactly).
 */
const FILL_DUST = 1e-12;

/**
 * An L2 (price-aggregated) order book, numbers in, numbers out.
 *
 * Every update is validated in full before anything is written, so a rejected
 * update (BookError) leaves the book exactly as it was. A level's size is
 * absolute; size 0 deletes the level. The book may be crossed transiently (some
 * venues publish that way); `isCrossed()` tells.
 */
export class L2Book {
  private readonly bidSide = new SortedLevels(1);
  private readonly askSide = new SortedLevels(-1);
  private readonly guard: SequenceGuard | undefined;
  private lastSeq: number | undefined;
  /** topNShared's last answer. */
  private shared: { n: number; levels: BookLevels } | undefined;

  constructor(options: L2BookOptions = {}) {
    this.guard = options.requireContiguous === true ? new SequenceGuard() : undefined;
  }

  /** Sequence of the last applied snapshot or delta, if they carried one. */
  get seq(): number | undefined {
    return this.lastSeq;
  }

  get bidCount(): number {
    return this.bidSide.length;
  }

  get askCount(): number {
    return this.askSide.length;
  }

  /** Number of price levels on both sides. */
  get levelCount(): number {
    return this.bidSide.length + this.askSide.length;
  }

  /**
   * Replaces the whole book. Levels may come in any order; size-0 entries are
   * ignored and, for a repeated price, the last entry wins.
   */
  applySnapshot(bids: readonly Level[], asks: readonly Level[], seq?: number): void {
    validateLevels(bids, 'bid');
    validateLevels(asks, 'ask');
    if (seq !== undefined) assertSeq(seq, 'snapshot seq');
    else if (this.guard) throw new BookError('this book requires contiguous sequences: the snapshot needs a seq');
    this.bidSide.load(bids);
    this.askSide.load(asks);
    this.lastSeq = seq;
    this.guard?.reset(seq);
  }

  /**
   * Applies absolute sizes to one side or both. Returns 'ok' when applied; with
   * `requireContiguous`, 'gap' or 'stale' when the seq does not follow (the
   * book is then untouched).
   */
  applyDelta(side: BookSide, levels: readonly Level[], seq?: number): SeqCheck;
  applyDelta(delta: BookDelta, seq?: number): SeqCheck;
  applyDelta(a: BookSide | BookDelta, b?: readonly Level[] | number, c?: number): SeqCheck {
    let bids: readonly Level[] | undefined;
    let asks: readonly Level[] | undefined;
    let seq: number | undefined;
    if (typeof a === 'string') {
      if (a === 'bid') bids = b as readonly Level[];
      else if (a === 'ask') asks = b as readonly Level[];
      else throw new BookError(`side must be 'bid' or 'ask', got ${String(a)}`);
      seq = c;
    } else {
      bids = a.bids;
      asks = a.asks;
      seq = b as number | undefined;
    }
    if (bids !== undefined) validateLevels(bids, 'bid');
    if (asks !== undefined) validateLevels(asks, 'ask');
    if (seq !== undefined) assertSeq(seq, 'delta seq');
    if (this.guard) {
      if (seq === undefined) throw new BookError('this book requires contiguous sequences: the delta needs a seq');
      const verdict = this.guard.check(seq);
      if (verdict !== 'ok') return verdict;
    }
    if (bids !== undefined) applyLevels(this.bidSide, bids);
    if (asks !== undefined) applyLevels(this.askSide, asks);
    if (seq !== undefined) this.lastSeq = seq;
    return 'ok';
  }

  /**
   * One level on one side: the fast path for the usual venue delta (one price
   * changed). Validated like `applyDelta` (a bad level throws and writes
   * nothing), without building or walking a levels array.
   */
  applyLevel(side: BookSide, price: number, size: number, seq?: number): SeqCheck {
    if (typeof price !== 'number' || !(price > 0 && price < Infinity)) {
      throw new BookError(`${String(side)} level #0 has a bad price ${String(price)}: it must be a finite number > 0`);
    }
    if (typeof size !== 'number' || !(size >= 0 && size < Infinity)) {
      throw new BookError(`${String(side)} level #0 at price ${price} has a bad size ${String(size)}: it must be a finite number >= 0`);
    }
    const target = side === 'bid' ? this.bidSide : side === 'ask' ? this.askSide : undefined;
    if (target === undefined) throw new BookError(`side must be 'bid' or 'ask', got ${String(side)}`);
    if (seq !== undefined) assertSeq(seq, 'delta seq');
    if (this.guard) {
      if (seq === undefined) throw new BookError('this book requires contiguous sequences: the delta needs a seq');
      const verdict = this.guard.check(seq);
      if (verdict !== 'ok') return verdict;
    }
    target.set(price, size);
    if (seq !== undefined) this.lastSeq = seq;
    return 'ok';
  }

  /** Empties both sides and forgets the sequence (a contiguous book needs a new snapshot). */
  clear(): void {
    this.bidSide.clear();
    this.askSide.clear();
    this.lastSeq = undefined;
    this.guard?.reset();
  }

  bestBid(): [number, number] | null {
    const s = this.bidSide;
    return s.length === 0 ? null : [s.price(0), s.size(0)];
  }

  bestAsk(): [number, number] | null {
    const s = this.askSide;
    return s.length === 0 ? null : [s.price(0), s.size(0)];
  }

  /** Allocation-free read of the i-th best level's price (0 = best); undefined past the end. */
  priceAt(side: BookSide, i: number): number | undefined {
    const s = this.sideOf(side);
    return i >= 0 && i < s.length ? s.price(i) : undefined;
  }

  /** Allocation-free read of the i-th best level's size (0 = best); undefined past the end. */
  sizeAt(side: BookSide, i: number): number | undefined {
    const s = this.sideOf(side);
    return i >= 0 && i < s.length ? s.size(i) : undefined;
  }

  /** Size resting at exactly `price` on `side` (0: no level there), found by search rather than a walk from the top. */
  sizeAtPrice(side: BookSide, price: number): number {
    return this.sideOf(side).sizeOf(price);
  }

  /** (best bid + best ask) / 2, or null if a side is empty. */
  mid(): number | null {
    if (this.bidSide.length === 0 || this.askSide.length === 0) return null;
    return (this.bidSide.price(0) + this.askSide.price(0)) / 2;
  }

  /** best ask - best bid (negative when crossed), or null if a side is empty. */
  spread(): number | null {
    if (this.bidSide.length === 0 || this.askSide.length === 0) return null;
    return this.askSide.price(0) - this.bidSide.price(0);
  }

  /** Best bid >= best ask. An empty side is never crossed. */
  isCrossed(): boolean {
    if (this.bidSide.length === 0 || this.askSide.length === 0) return false;
    return this.bidSide.price(0) >= this.askSide.price(0);
  }

  /** Up to n best levels per side, as fresh arrays: bids descending, asks ascending. */
  topN(n: number): BookLevels {
    if (!Number.isInteger(n) || n < 0) throw new BookError(`topN needs a non-negative integer, got ${String(n)}`);
    return { bids: top(this.bidSide, n), asks: top(this.askSide, n) };
  }

  /**
   * topN(n) for a caller that reads the top after changes and never writes
   * into what it gets (a backtest building the strategy's book on every
   * delta): a side whose top n did not change since the last call is the same
   * array as last time, and in one that did, the levels above the change are
   * the same tuples, as are the levels below it that only moved.
   */
  topNShared(n: number): BookLevels {
    if (!Number.isInteger(n) || n < 0) throw new BookError(`topN needs a non-negative integer, got ${String(n)}`);
    const last = this.shared !== undefined && this.shared.n === n ? this.shared.levels : undefined;
    const levels = { bids: sharedTop(this.bidSide, n, last?.bids), asks: sharedTop(this.askSide, n, last?.asks) };
    this.bidSide.untouch();
    this.askSide.untouch();
    this.shared = { n, levels };
    return levels;
  }

  /**
   * Base size obtainable from `side` (best first) until the cumulative
   * price x size reaches `notional`; the whole side's size if it never does.
   */
  depthToNotional(side: BookSide, notional: number): number {
    if (!(notional >= 0 && notional < Infinity)) {
      throw new BookError(`notional must be a finite number >= 0, got ${String(notional)}`);
    }
    const s = this.sideOf(side);
    let cumNotional = 0;
    let cumSize = 0;
    for (let i = 0; i < s.length; i++) {
      const price = s.price(i);
      const size = s.size(i);
      const levelNotional = price * size;
      if (cumNotional + levelNotional >= notional) return cumSize + (notional - cumNotional) / price;
      cumNotional += levelNotional;
      cumSize += size;
    }
    return cumSize;
  }

  /**
   * Volume-weighted average price to take `size` from `side` (best first):
   * 'ask' to buy, 'bid' to sell. Null when the side holds less than `size`.
   */
  vwapForSize(side: BookSide, size: number): number | null {
    if (!(size > 0 && size < Infinity)) throw new BookError(`size must be a finite number > 0, got ${String(size)}`);
    const s = this.sideOf(side);
    let remaining = size;
    let cost = 0;
    for (let i = 0; i < s.length; i++) {
      const price = s.price(i);
      const levelSize = s.size(i);
      if (remaining <= levelSize) return (cost + remaining * price) / size;
      cost += levelSize * price;
      remaining -= levelSize;
    }
    return remaining <= size * FILL_DUST ? cost / (size - remaining) : null;
  }

  private sideOf(side: BookSide): SortedLevels {
    if (side === 'bid') return this.bidSide;
    if (side === 'ask') return this.askSide;
    throw new BookError(`side must be 'bid' or 'ask', got ${String(side)}`);
  }
}

function top(s: SortedLevels, n: number): [number, number][] {
  const count = Math.min(n, s.length);
  const out = new Array<[number, number]>(count);
  for (let i = 0; i < count; i++) out[i] = [s.price(i), s.size(i)];
  return out;
}

/** top(s, n), from `last` (its previous answer) where the side did not change since. */
function sharedTop(s: SortedLevels, n: number, last: [number, number][] | undefined): [number, number][] {
  if (last === undefined) return top(s, n);
  const count = Math.min(n, s.length);
  const same = Math.min(s.untouchedTop, count, last.length);
  if (same === count && last.length === count) return last;
  const out = new Array<[number, number]>(count);
  for (let i = 0; i < same; i++) out[i] = last[i]!;
  if (!s.levelsMoved && last.length === count) {
    // Only sizes changed: every level is where it was.
    for (let i = same; i < count; i++) {
      const old = last[i]!;
      const size = s.size(i);
      out[i] = old[1] === size ? old : [old[0], size];
    }
    return out;
  }
  // Below the change, the levels are last's moved by the inserts and deletes: merge by price (best first).
  const sign = s.sign;
  let k = same;
  for (let i = same; i < count; i++) {
    const p = s.price(i);
    const size = s.size(i);
    while (k < last.length && sign * last[k]![0] > sign * p) k++;
    const old = k < last.length ? last[k]! : undefined;
    if (old !== undefined && old[0] === p && old[1] === size) {
      out[i] = old;
      k++;
    } else out[i] = [p, size];
  }
  return out;
}

function applyLevels(s: SortedLevels, levels: readonly Level[]): void {
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    s.set(level[0], level[1]);
  }
}

/** Throws on the first bad level so nothing is written; NaN fails every comparison. */
function validateLevels(levels: readonly Level[], side: BookSide): void {
  if (!Array.isArray(levels)) throw new BookError(`${side} levels must be an array of [price, size]`);
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level === undefined || level === null) throw new BookError(`${side} level #${i} is missing`);
    const price = level[0];
    const size = level[1];
    if (typeof price !== 'number' || !(price > 0 && price < Infinity)) {
      throw new BookError(`${side} level #${i} has a bad price ${String(price)}: it must be a finite number > 0`);
    }
    if (typeof size !== 'number' || !(size >= 0 && size < Infinity)) {
      throw new BookError(`${side} level #${i} at price ${price} has a bad size ${String(size)}: it must be a finite number >= 0`);
    }
  }
}
