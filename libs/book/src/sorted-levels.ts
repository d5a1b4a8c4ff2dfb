/**
 * One side of an L2 book as two parallel Float64Arrays (key, size), sorted by
 * ascending key with the BEST level at the END. The key is the price for bids
 * and minus the price for asks, so "higher key = better" on both sides and one
 * code path serves both.
 *
 * Why best-at-the-end: venue traffic is concentrated near the top of book, so
 * inserting or deleting there moves only the few slots above it, and the
 * search gallops from the top instead of bisecting the whole side. No objects
 * are allocated per update; memory grows by doubling and is reused.
 *
 * Inputs are trusted here (L2Book validates them first).
 */

/** Below this many moved slots a plain loop beats copyWithin's call overhead. */
const LOOP_SHIFT_MAX = 24;
const INITIAL_CAPACITY = 64;

export class SortedLevels {
  private keys: Float64Array;
  private sizes: Float64Array;
  private n = 0;
  /** How far from the best the best level changed since `untouch()` (0: the best itself, or the whole side). */
  private touched = 0;
  /** A level was inserted or deleted since `untouch()` (else only sizes changed, every level where it was). */
  private moved = true;

  constructor(
    /** +1 for bids, -1 for asks: key = sign * price. */
    readonly sign: 1 | -1,
    capacity = INITIAL_CAPACITY,
  ) {
    this.keys = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
  }

  get length(): number {
    return this.n;
  }

  /** Price of the i-th best level (0 = best). The caller keeps 0 <= i < length. */
  price(i: number): number {
    return this.sign * this.keys[this.n - 1 - i]!;
  }

  /** Size of the i-th best level (0 = best). The caller keeps 0 <= i < length. */
  size(i: number): number {
    return this.sizes[this.n - 1 - i]!;
  }

  clear(): void {
    this.n = 0;
    this.touched = 0;
    this.moved = true;
  }

  /**
   * Levels nearer the best than this are as they were at the last `untouch()`: a change d levels from the best
   * (a new size, an insert or a delete) moves only the levels from d on.
   */
  get untouchedTop(): number {
    return this.touched;
  }

  /** Whether a level was inserted or deleted since `untouch()`: if not, every level is at the index it had. */
  get levelsMoved(): boolean {
    return this.moved;
  }

  untouch(): void {
    this.touched = Number.POSITIVE_INFINITY;
    this.moved = false;
  }

  /** Size resting at exactly `price`; 0 when no level is there. O(log d) for a level d from the top. */
  sizeOf(price: number): number {
    const key = this.sign * price;
    const n = this.n;
    if (n === 0 || this.keys[n - 1]! < key) return 0;
    const i = this.lowerBound(key);
    return this.keys[i] === key ? this.sizes[i]! : 0;
  }

  /** Sets the size at a price; size 0 removes the level (a no-op if absent). */
  set(price: number, size: number): void {
    const key = this.sign * price;
    const keys = this.keys;
    const n = this.n;
    // Fast paths first: a new best level, or an update of the current best.
    if (n === 0 || keys[n - 1]! < key) {
      if (size !== 0) {
        this.insertAt(n, key, size);
        this.touched = 0;
      }
      return;
    }
    const i = this.lowerBound(key);
    if (n - 1 - i < this.touched) this.touched = n - 1 - i;
    if (keys[i] === key) {
      if (size !== 0) this.sizes[i] = size;
      else this.removeAt(i);
    } else if (size !== 0) {
      this.insertAt(i, key, size);
    }
  }

  /**
   * Replaces the side with `levels` (size-0 entries skipped). Sorted input in
   * either direction loads in O(n); anything else (unsorted, duplicate prices)
   * falls back to one `set` per level, so the last entry for a price wins.
   */
  load(levels: readonly (readonly [number, number])[]): void {
    this.n = 0;
    this.touched = 0;
    this.moved = true;
    this.ensureCapacity(levels.length);
    const keys = this.keys;
    const sizes = this.sizes;
    const sign = this.sign;
    let m = 0;
    let ascending = true;
    let descending = true;
    // Size-0 entries take part in the order check: a repeated price must go
    // through the slow path, where a later size 0 deletes an earlier entry.
    let prev = Number.NaN;
    for (let j = 0; j < levels.length; j++) {
      const level = levels[j]!;
      const key = sign * level[0];
      if (j > 0) {
        if (key <= prev) ascending = false;
        if (key >= prev) descending = false;
      }
      prev = key;
      const size = level[1];
      if (size === 0) continue;
      keys[m] = key;
      sizes[m] = size;
      m++;
    }
    if (ascending) {
      this.n = m;
    } else if (descending) {
      // Best-first input (the usual venue format): reverse in place.
      for (let a = 0, b = m - 1; a < b; a++, b--) {
        const k = keys[a]!;
        keys[a] = keys[b]!;
        keys[b] = k;
        const s = sizes[a]!;
        sizes[a] = sizes[b]!;
        sizes[b] = s;
      }
      this.n = m;
    } else {
      this.n = 0;
      for (let j = 0; j < levels.length; j++) {
        const level = levels[j]!;
        this.set(level[0], level[1]);
      }
    }
  }

  /**
   * Smallest i with keys[i] >= key, given keys[n-1] >= key. Gallops down from
   * the top (1, 2, 4, ... slots) and then bisects the bracket, so an update d
   * levels from the top costs O(log d) instead of O(log n).
   */
  private lowerBound(key: number): number {
    const keys = this.keys;
    let hi = this.n - 1; // keys[hi] >= key
    let step = 1;
    let lo = hi - 1;
    while (lo >= 0 && keys[lo]! >= key) {
      hi = lo;
      step += step;
      lo = hi - step;
    }
    if (lo < -1) lo = -1;
    // keys[hi] >= key and (lo === -1 or keys[lo] < key): the answer is in (lo, hi].
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! >= key) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  private insertAt(i: number, key: number, size: number): void {
    const n = this.n;
    if (n === this.keys.length) this.grow(n + 1);
    const keys = this.keys;
    const sizes = this.sizes;
    if (n - i <= LOOP_SHIFT_MAX) {
      for (let j = n; j > i; j--) {
        keys[j] = keys[j - 1]!;
        sizes[j] = sizes[j - 1]!;
      }
    } else {
      keys.copyWithin(i + 1, i, n);
      sizes.copyWithin(i + 1, i, n);
    }
    keys[i] = key;
    sizes[i] = size;
    this.n = n + 1;
    this.moved = true;
  }

  private removeAt(i: number): void {
    const n = this.n - 1;
    const keys = this.keys;
    const sizes = this.sizes;
    if (n - i <= LOOP_SHIFT_MAX) {
      for (let j = i; j < n; j++) {
        keys[j] = keys[j + 1]!;
        sizes[j] = sizes[j + 1]!;
      }
    } else {
      keys.copyWithin(i, i + 1, n + 1);
      sizes.copyWithin(i, i + 1, n + 1);
    }
    this.n = n;
    this.moved = true;
  }

  private ensureCapacity(needed: number): void {
    if (needed > this.keys.length) this.grow(needed);
  }

  private grow(needed: number): void {
    let capacity = Math.max(this.keys.length * 2, INITIAL_CAPACITY);
    while (capacity < needed) capacity *= 2;
    const keys = new Float64Array(capacity);
    const sizes = new Float64Array(capacity);
    keys.set(this.keys.subarray(0, this.n));
    sizes.set(this.sizes.subarray(0, this.n));
    this.keys = keys;
    this.sizes = sizes;
  }
}
