import type { SimBookSnapshot, SimLevel } from '../../engine/types.js';
import { comparePriceText } from '../price-text-order.js';

/** The payload of one `orderbook.<depth>.<symbol>` frame. */
export interface BookFrameData {
  s: string;
  b: Array<[string, string]>;
  a: Array<[string, string]>;
  u: number;
  seq: number;
}

/**
 * One depth-limited book topic as Bybit streams it: the state last published (top `depth` levels per side) and the
 * topic's update id `u`. A delta is the difference between that state and the engine's current top `depth`: changed
 * or new levels with their size, removed ones (traded away or pushed below the depth) with size "0". So a client that
 * applies snapshot + deltas holds exactly the engine's top `depth`.
 *
 * The state is kept as the engine gave it, best first, so a delta is one merge walk of two sorted lists (sorted
 * itself, no re-sort) and the next state is the snapshot's own array.
 */
export class BookTopic {
  private bids: SimLevel[] = [];
  private asks: SimLevel[] = [];
  private u = 0;
  private seq = 0;

  constructor(
    readonly venueSymbol: string,
    readonly depth: number,
  ) {}

  /** Replaces the state with `book` (a fresh start) and returns the snapshot to send. */
  reset(book: SimBookSnapshot): BookFrameData {
    this.bids = book.bids;
    this.asks = book.asks;
    this.u += 1;
    this.seq = book.lastUpdateId;
    return this.snapshot();
  }

  /** The last published state, for a new subscriber (consistent with the next delta). */
  snapshot(): BookFrameData {
    return { s: this.venueSymbol, b: copy(this.bids), a: copy(this.asks), u: this.u, seq: this.seq };
  }

  /** The delta to `book` (top `depth` levels), or undefined when nothing changed; advances the state. */
  advance(book: SimBookSnapshot): BookFrameData | undefined {
    const b = diff(this.bids, book.bids, -1);
    const a = diff(this.asks, book.asks, 1);
    if (b.length === 0 && a.length === 0) return undefined;
    this.bids = book.bids;
    this.asks = book.asks;
    this.u += 1;
    this.seq = book.lastUpdateId;
    return { s: this.venueSymbol, b, a, u: this.u, seq: this.seq };
  }
}

/**
 * Levels of `next` that are new or changed, and levels of `prev` gone from `next` (size "0"), best first. Both lists
 * are best first with one entry per price; `dir` is 1 when best is the lowest price (asks), -1 when highest (bids).
 */
function diff(prev: readonly SimLevel[], next: readonly SimLevel[], dir: 1 | -1): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  let j = 0;
  while (i < prev.length || j < next.length) {
    const p = prev[i];
    const n = next[j];
    // Which comes first in best-first order: the previous level (gone), the next one (new), or both (same price).
    const c = p === undefined ? 1 : n === undefined ? -1 : dir * comparePriceText(p[0], n[0]);
    if (c < 0) {
      out.push([p![0], '0']);
      i++;
    } else if (c > 0) {
      out.push([n![0], n![1]]);
      j++;
    } else {
      if (p![1] !== n![1]) out.push([n![0], n![1]]);
      i++;
      j++;
    }
  }
  return out;
}

const copy = (levels: readonly SimLevel[]): Array<[string, string]> => levels.map(([p, q]) => [p, q]);
