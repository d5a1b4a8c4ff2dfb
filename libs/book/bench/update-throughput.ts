/**
 * Informal single-thread comparison of L2Book against ccxt's OrderBook on the
 * same delta stream (the project benchmark is separate). Run:
 *   npx tsx libs/book/bench/update-throughput.ts
 * The stream: a 1000-level-per-side book; each delta touches one level whose
 * distance from the top is roughly geometric (mean ~5 levels); 50% size
 * changes, 25% inserts, 25% deletes, plus a drifting mid so levels come and go.
 */
import ccxt from 'ccxt';
import { L2Book } from '../src/index.js';

type Lvl = [number, number];
interface Delta {
  side: 'bid' | 'ask';
  level: Lvl;
}

const TICK = 0.1;
const LEVELS = 1000;
const EVENTS = 1_000_000;
// Mean distance from the top of the touched level; BENCH_DEPTH_MEAN=300 approximates uniform updates.
const DEPTH_MEAN = Number(process.env["BENCH_DEPTH_MEAN"] ?? 5);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeStream(): { bids: Lvl[]; asks: Lvl[]; deltas: Delta[] } {
  const rand = rng(42);
  const px = (t: number): number => Math.round(t) / 10; // integer ticks -> price with a 0.1 tick
  const mid = 1_000_000; // 100000.0
  // Best-first tick lists, each side spaced 2 ticks so inserts can land between levels.
  const bids: number[] = [];
  const asks: number[] = [];
  for (let i = 0; i < LEVELS; i++) {
    bids.push(mid - 1 - 2 * i);
    asks.push(mid + 1 + 2 * i);
  }
  const snapBids: Lvl[] = bids.map((t) => [px(t), 1 + rand()]);
  const snapAsks: Lvl[] = asks.map((t) => [px(t), 1 + rand()]);
  const deltas: Delta[] = [];
  for (let e = 0; e < EVENTS; e++) {
    const isBid = rand() < 0.5;
    const list = isBid ? bids : asks;
    const other = isBid ? asks : bids;
    const dir = isBid ? -1 : 1; // away from the top
    const d = Math.min(list.length - 1, Math.floor(-Math.log(1 - rand()) * DEPTH_MEAN)); // geometric-ish
    const r = rand();
    const side = isBid ? 'bid' : 'ask';
    // Keep each side near LEVELS: lean towards inserts when short, deletes when long.
    const insertBias = (LEVELS - list.length) / 200;
    if (r < 0.5) {
      deltas.push({ side, level: [px(list[d]!), 0.001 + rand() * 5] });
    } else if (r < 0.75 + insertBias) {
      // A new level just better than the d-th one (if that tick is free and does not cross).
      const t = list[d]! - dir;
      const free = (d === 0 ? t !== other[0] && (isBid ? t < other[0]! : t > other[0]!) : list[d - 1] !== t) && t > 0;
      if (free) {
        list.splice(d, 0, t);
        deltas.push({ side, level: [px(t), 0.001 + rand() * 5] });
      } else {
        deltas.push({ side, level: [px(list[d]!), 0.001 + rand() * 5] });
      }
    } else if (list.length > 1) {
      const [t] = list.splice(d, 1);
      deltas.push({ side, level: [px(t!), 0] });
    } else {
      deltas.push({ side, level: [px(list[0]!), 1] });
    }
  }
  return { bids: snapBids, asks: snapAsks, deltas };
}

type CcxtSide = Lvl[] & { storeArray(l: Lvl): void };
interface CcxtBook {
  bids: CcxtSide;
  asks: CcxtSide;
}
// ccxt does not export its OrderBook class; exchanges build it through orderBook().
const exchange = new (ccxt as unknown as { pro: Record<string, new () => { orderBook(s: object): CcxtBook }> }).pro['binanceusdm']!();
const ccxtBook = (bids: Lvl[], asks: Lvl[]): CcxtBook =>
  exchange.orderBook({ bids: bids.map((l) => [...l]), asks: asks.map((l) => [...l]) });

function bench(name: string, runs: number, setup: () => void, fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r <= runs; r++) {
    setup();
    const t0 = process.hrtime.bigint();
    fn();
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r > 0) best = Math.min(best, dt); // run 0 is the warm-up
  }
  const rate = EVENTS / best;
  console.log(`${name.padEnd(28)} ${(rate / 1e6).toFixed(2)} M updates/s (best of ${runs})`);
  return rate;
}

const { bids, asks, deltas } = makeStream();
const single = deltas.map((d) => [d.level] as Lvl[]);

let book = new L2Book();
const ours = bench(
  'L2Book.applyDelta',
  5,
  () => {
    book = new L2Book();
    book.applySnapshot(bids, asks);
  },
  () => {
    for (let i = 0; i < deltas.length; i++) book.applyDelta(deltas[i]!.side, single[i]!);
  },
);

// ccxt keeps (and later mutates) the arrays it is given, so each run gets fresh copies made outside the timing.
let ob = ccxtBook(bids, asks);
let copies: Lvl[] = [];
const theirs = bench(
  'ccxt OrderBook.storeArray',
  5,
  () => {
    ob = ccxtBook(bids, asks);
    copies = deltas.map((d) => [d.level[0], d.level[1]]);
  },
  () => {
    for (let i = 0; i < deltas.length; i++) {
      if (deltas[i]!.side === 'bid') ob.bids.storeArray(copies[i]!);
      else ob.asks.storeArray(copies[i]!);
    }
  },
);
console.log(`ratio ${(ours / theirs).toFixed(2)}x`);

// Sanity: after the last runs both books hold the same levels.
const mine = book.topN(book.levelCount);
const same = JSON.stringify(mine.bids) === JSON.stringify([...ob.bids]) && JSON.stringify(mine.asks) === JSON.stringify([...ob.asks]);
console.log(`final books identical: ${same} (bids ${book.bidCount}, asks ${book.askCount}, crossed ${book.isCrossed()})`);
