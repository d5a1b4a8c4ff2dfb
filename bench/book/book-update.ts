import ccxt from 'ccxt';
import { L2Book } from '@perpetua/book';
import type { BenchOptions } from '../harness/bench-options.js';
import { median, spreadOf, type Figure } from '../harness/figure.js';
import { timeRuns } from '../harness/time-runs.js';
import { bookStream, type Level } from '../workloads/book-stream.js';

type CcxtSide = Level[] & { storeArray(l: Level): void };
interface CcxtBook {
  bids: CcxtSide;
  asks: CcxtSide;
}

/** ccxt does not export its OrderBook class; exchanges build it through orderBook(). */
function ccxtBookFactory(): (bids: Level[], asks: Level[]) => CcxtBook {
  const Ctor = (ccxt as unknown as { pro: Record<string, new () => { orderBook(s: object): CcxtBook }> }).pro['binanceusdm']!;
  const ex = new Ctor();
  return (bids, asks) => ex.orderBook({ bids: bids.map((l) => [...l]), asks: asks.map((l) => [...l]) });
}

/**
 * Our L2 book against ccxt's OrderBook (sorted arrays, binary search) on the
 * same seeded stream: 50 levels a side, one-level deltas concentrated near the
 * touch, a quarter of them deletions. Best bid and ask must agree at the end.
 */
export function bookUpdateFigures(opts: BenchOptions, log: (line: string) => void): Figure[] {
  log('book: L2Book vs ccxt OrderBook');
  const stream = bookStream({ seed: 42, levels: 50, events: opts.quick ? 200_000 : 1_000_000, depthMean: 5, tick: 0.1 });
  let ours = new L2Book();
  const oursRuns = timeRuns(
    opts.repetitions,
    () => {
      ours = new L2Book();
      ours.applySnapshot(stream.bids, stream.asks);
    },
    () => {
      // The one-level fast path a gateway takes for the usual delta; validated exactly as applyDelta.
      for (let i = 0; i < stream.deltas.length; i++) {
        const d = stream.deltas[i]!;
        ours.applyLevel(d.side, d.level[0], d.level[1]);
      }
    },
  );
  const makeCcxt = ccxtBookFactory();
  let theirs = makeCcxt(stream.bids, stream.asks);
  let copies: Level[] = [];
  // ccxt keeps (and later mutates) the arrays it is given: fresh copies each run, made outside the timing.
  const theirRuns = timeRuns(
    opts.repetitions,
    () => {
      theirs = makeCcxt(stream.bids, stream.asks);
      copies = stream.deltas.map((d) => [d.level[0], d.level[1]]);
    },
    () => {
      for (let i = 0; i < stream.deltas.length; i++) {
        if (stream.deltas[i]!.side === 'bid') theirs.bids.storeArray(copies[i]!);
        else theirs.asks.storeArray(copies[i]!);
      }
    },
  );
  const bb = ours.bestBid();
  const ba = ours.bestAsk();
  if (JSON.stringify([bb, ba]) !== JSON.stringify([theirs.bids[0], theirs.asks[0]]))
    throw new Error(`book benchmark: best bid/ask differ at the end: ours ${JSON.stringify([bb, ba])}, ccxt ${JSON.stringify([theirs.bids[0], theirs.asks[0]])}`);
  const rate = (runs: number[]) => runs.map((s) => stream.deltas.length / s);
  const o = median(rate(oursRuns));
  const b = median(rate(theirRuns));
  return [
    {
      name: 'book.update',
      label: 'order book: deltas applied (50 levels a side)',
      unit: 'updates/s',
      ours: o,
      baseline: b,
      ratio: o / b,
      better: 'higher',
      spread: spreadOf(rate(oursRuns)),
      target: 'ratio >= 3 (ccxt OrderBook)',
      met: o / b >= 3,
      note: `same seeded stream of ${stream.deltas.length.toLocaleString('en-US')} deltas for both; best bid/ask checked equal at the end.`,
    },
  ];
}
