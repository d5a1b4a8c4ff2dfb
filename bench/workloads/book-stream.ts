import { seededRandom } from './seeded-random.js';

export type Level = [price: number, size: number];
export interface BookDeltaEvent {
  side: 'bid' | 'ask';
  level: Level;
}
export interface BookStream {
  bids: Level[];
  asks: Level[];
  deltas: BookDeltaEvent[];
}

export interface BookStreamOptions {
  seed: number;
  /** Levels per side the book keeps around (50 in the benchmark). */
  levels: number;
  events: number;
  /** Mean distance from the top of the touched level: updates concentrate near the touch. */
  depthMean: number;
  tick: number;
}

/**
 * A venue-like L2 stream: a snapshot, then one-level deltas whose distance from
 * the top is roughly geometric (mean `depthMean`): half size changes, a quarter
 * inserts, a quarter deletions, each side kept near `levels` deep and never
 * crossed. The same options give the same stream, always.
 */
export function bookStream(o: BookStreamOptions): BookStream {
  const rand = seededRandom(o.seed);
  const px = (t: number): number => Number((t * o.tick).toFixed(10));
  const mid = Math.round(100_000 / o.tick);
  const bids: number[] = [];
  const asks: number[] = [];
  for (let i = 0; i < o.levels; i++) {
    bids.push(mid - 1 - 2 * i);
    asks.push(mid + 1 + 2 * i);
  }
  const snapBids: Level[] = bids.map((t) => [px(t), 1 + Math.round(rand() * 1000) / 1000]);
  const snapAsks: Level[] = asks.map((t) => [px(t), 1 + Math.round(rand() * 1000) / 1000]);
  const deltas: BookDeltaEvent[] = [];
  const size = () => 0.001 + Math.round(rand() * 5000) / 1000;
  for (let e = 0; e < o.events; e++) {
    const isBid = rand() < 0.5;
    const list = isBid ? bids : asks;
    const other = isBid ? asks : bids;
    const away = isBid ? -1 : 1;
    const d = Math.min(list.length - 1, Math.floor(-Math.log(1 - rand()) * o.depthMean));
    const r = rand();
    const side = isBid ? 'bid' : 'ask';
    const insertBias = Math.max(-0.2, (o.levels - list.length) / o.levels);
    if (r < 0.5 || list.length <= 1) {
      deltas.push({ side, level: [px(list[d]!), size()] });
    } else if (r < 0.75 + insertBias) {
      const t = list[d]! - away;
      const free = (d === 0 ? (isBid ? t < other[0]! : t > other[0]!) : list[d - 1] !== t) && t > 0;
      if (free) list.splice(d, 0, t);
      deltas.push({ side, level: [px(free ? t : list[d]!), size()] });
    } else {
      const [t] = list.splice(d, 1);
      deltas.push({ side, level: [px(t!), 0] });
    }
  }
  return { bids: snapBids, asks: snapAsks, deltas };
}
