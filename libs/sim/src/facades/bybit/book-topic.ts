import { D } from '@perpetua/core';
import type { SimBookSnapshot, SimLevel } from '../../engine/types.js';

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
 */
export class BookTopic {
  private bids = new Map<string, string>();
  private asks = new Map<string, string>();
  private u = 0;
  private seq = 0;

  constructor(
    readonly venueSymbol: string,
    readonly depth: number,
  ) {}

  /** Replaces the state with `book` (a fresh start) and returns the snapshot to send. */
  reset(book: SimBookSnapshot): BookFrameData {
    this.bids = new Map(book.bids);
    this.asks = new Map(book.asks);
    this.u += 1;
    this.seq = book.lastUpdateId;
    return this.snapshot();
  }

  /** The last published state, for a new subscriber (consistent with the next delta). */
  snapshot(): BookFrameData {
    return { s: this.venueSymbol, b: sorted(this.bids, -1), a: sorted(this.asks, 1), u: this.u, seq: this.seq };
  }

  /** The delta to `book` (top `depth` levels), or undefined when nothing changed; advances the state. */
  advance(book: SimBookSnapshot): BookFrameData | undefined {
    const b = diff(this.bids, book.bids);
    const a = diff(this.asks, book.asks);
    if (b.length === 0 && a.length === 0) return undefined;
    this.bids = new Map(book.bids);
    this.asks = new Map(book.asks);
    this.u += 1;
    this.seq = book.lastUpdateId;
    return { s: this.venueSymbol, b: sortLevels(b, -1), a: sortLevels(a, 1), u: this.u, seq: this.seq };
  }
}

function diff(prev: Map<string, string>, next: SimLevel[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [p, q] of next) {
    seen.add(p);
    if (prev.get(p) !== q) out.push([p, q]);
  }
  for (const p of prev.keys()) if (!seen.has(p)) out.push([p, '0']);
  return out;
}

const sorted = (levels: Map<string, string>, dir: 1 | -1) => sortLevels([...levels.entries()], dir);

function sortLevels(levels: Array<[string, string]>, dir: 1 | -1): Array<[string, string]> {
  return levels
    .map((l) => ({ l, d: D.dec(l[0]) }))
    .sort((x, y) => dir * D.cmp(x.d, y.d))
    .map(({ l }) => l);
}
