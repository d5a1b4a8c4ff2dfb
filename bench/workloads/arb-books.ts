import type { BookMessage } from '@perpetua/core';
import { seededRandom } from './seeded-random.js';

export interface ArbBooksOptions {
  seed: number;
  venues: number;
  symbols: number;
  /** Levels per side in every book. */
  levels: number;
  updates: number;
  /** Chance that an update carries a venue-specific offset big enough to open a gap. */
  gapChance: number;
}

/**
 * A stream of normalized books as gateways publish them: venues × symbols,
 * each symbol's venues around one random-walk mid with small per-venue noise,
 * now and then a venue offset that opens a cross-venue gap. Same options,
 * same stream.
 */
export function arbBooks(o: ArbBooksOptions): { warmup: BookMessage[]; updates: BookMessage[] } {
  const rand = seededRandom(o.seed);
  const venues = Array.from({ length: o.venues }, (_, i) => `v${String(i).padStart(2, '0')}`);
  const symbols = Array.from({ length: o.symbols }, (_, i) => `S${i}-PERP`);
  const mids = symbols.map((_, i) => 100 + i * 10);
  const seq = new Map<string, number>();
  const book = (venue: string, si: number, ts: number): BookMessage => {
    const key = `${venue}/${si}`;
    const n = (seq.get(key) ?? 0) + 1;
    seq.set(key, n);
    const gap = rand() < o.gapChance ? (rand() - 0.5) * 0.02 : 0;
    const mid = mids[si]! * (1 + (rand() - 0.5) * 0.0004 + gap);
    const tick = mids[si]! * 0.0001;
    const bids: Array<[number, number]> = [];
    const asks: Array<[number, number]> = [];
    for (let l = 0; l < o.levels; l++) {
      bids.push([Number((mid - tick * (l + 1)).toFixed(6)), Number((0.1 + rand() * 2).toFixed(3))]);
      asks.push([Number((mid + tick * (l + 1)).toFixed(6)), Number((0.1 + rand() * 2).toFixed(3))]);
    }
    return { venue, symbol: symbols[si]!, seq: n, bids, asks, tsExchange: ts, tsReceived: ts, tsPublished: ts, stale: false };
  };
  const warmup: BookMessage[] = [];
  for (const v of venues) for (let si = 0; si < symbols.length; si++) warmup.push(book(v, si, 0));
  const updates: BookMessage[] = [];
  for (let u = 0; u < o.updates; u++) {
    const si = Math.floor(rand() * symbols.length);
    mids[si] = mids[si]! * (1 + (rand() - 0.5) * 0.0002);
    updates.push(book(venues[Math.floor(rand() * venues.length)]!, si, u + 1));
  }
  return { warmup, updates };
}
