import { L2Book } from '@perpetua/book';
import { BacktestRunner, runtimeStrategy, type ReplayEvent } from '@perpetua/backtest';
import { Instrument } from '@perpetua/core';
import { constantLatency, feeTierOf, powerProbability, probabilisticQueue } from '@perpetua/fills';
import { StrategyParams } from '@perpetua/strategies';
import type { BenchOptions } from '../harness/bench-options.js';
import { median, spreadOf, type Figure } from '../harness/figure.js';
import { timeRuns } from '../harness/time-runs.js';
import { bookStream } from '../workloads/book-stream.js';

const INST = Instrument.parse({ venue: 'bench', symbol: 'BTC-PERP', venueSymbol: 'BTC', base: 'BTC', quote: 'USD', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', makerFee: 0.0002, takerFee: 0.0005 });

/**
 * Backtest throughput: book events per second through the whole replay on one
 * core — the venue's delta applied to the full book, the fill model (queue,
 * latency, fees), the top-N book the strategy sees, the live strategy runtime
 * (fixed spread with its hygiene), the pure risk rules and the router's slot
 * rule — against the bare replay loop (the same deltas applied to a book and
 * nothing else) on the same seeded stream, with a public trade every 10 events.
 */
export function backtestThroughputFigures(opts: BenchOptions, log: (line: string) => void): Figure[] {
  log('backtest: replay through runtime, risk and fill model vs the bare replay loop');
  const stream = bookStream({ seed: 7, levels: 50, events: opts.quick ? 100_000 : 300_000, depthMean: 5, tick: 0.1 });
  const events: ReplayEvent[] = [{ kind: 'depth', msg: { venue: 'bench', symbol: 'BTC-PERP', type: 'snapshot', bids: stream.bids, asks: stream.asks, venueSeq: 0, tsExchange: 1_700_000_000_000, tsReceived: 1_700_000_000_001 } }];
  let t = 1_700_000_000_000;
  const book = new L2Book();
  book.applySnapshot(stream.bids, stream.asks);
  for (let i = 0; i < stream.deltas.length; i++) {
    const d = stream.deltas[i]!;
    t += 1;
    book.applyDelta(d.side, [d.level]);
    events.push({ kind: 'depth', msg: { venue: 'bench', symbol: 'BTC-PERP', type: 'delta', bids: d.side === 'bid' ? [d.level] : [], asks: d.side === 'ask' ? [d.level] : [], venueSeq: i + 1, tsExchange: t, tsReceived: t + 1 } });
    if (i % 10 === 9) {
      const sell = i % 20 === 9;
      const px = sell ? book.priceAt('bid', 0)! : book.priceAt('ask', 0)!;
      events.push({ kind: 'trade', msg: { venue: 'bench', symbol: 'BTC-PERP', tradeId: `b${i}`, price: px, size: 0.5, side: sell ? 'sell' : 'buy', tsExchange: t, tsReceived: t + 1, tsPublished: t + 1 } });
    }
  }
  const books = events.filter((e) => e.kind === 'depth').length;
  const params = StrategyParams.parse({ kind: 'fixed-spread', spread_bps: 1, order_amount: 0.01 });
  let runner: BacktestRunner | undefined;
  let fills = 0;
  // CPU seconds of each run too: on a shared machine the wall time moves with the load far more than the work does.
  const oursCpu: number[] = [];
  const oursRuns = timeRuns(
    opts.repetitions,
    () => {
      runner = new BacktestRunner(
        { venue: 'bench', symbol: 'BTC-PERP', account: 'bench', strategyId: 'mm', instrument: INST, risk: { maxPosition: '1000', maxOrderSize: '1' }, queue: probabilisticQueue(powerProbability(2)), latency: constantLatency({ entryMs: 2 }), fees: feeTierOf(INST) },
        (clock) => runtimeStrategy({ id: 'mm', venue: 'bench', account: 'bench', symbol: 'BTC-PERP', params, maxPosition: '1000' }, INST, clock),
      );
    },
    () => {
      const c0 = process.cpuUsage();
      for (const e of events) runner!.onEvent(e);
      fills = runner!.finish().report.fills;
      const c = process.cpuUsage(c0);
      oursCpu.push((c.user + c.system) / 1e6);
    },
  );
  let bare = new L2Book();
  let count = 0;
  const baseRuns = timeRuns(
    opts.repetitions,
    () => {
      bare = new L2Book();
      count = 0;
    },
    () => {
      for (const e of events) {
        if (e.kind === 'depth') {
          if (e.msg.type === 'snapshot') bare.applySnapshot(e.msg.bids, e.msg.asks);
          else bare.applyDelta({ bids: e.msg.bids, asks: e.msg.asks });
          count++;
        }
      }
    },
  );
  if (count !== books) throw new Error('backtest benchmark: the bare loop saw a different number of books');
  const rate = (runs: number[]) => runs.map((s) => books / s);
  const o = median(rate(oursRuns));
  const b = median(rate(baseRuns));
  return [
    {
      name: 'backtest.throughput',
      label: 'backtest: book events/s through runtime, risk and fill model (one core)',
      unit: 'events/s',
      ours: o,
      baseline: b,
      ratio: o / b,
      better: 'higher',
      spread: spreadOf(rate(oursRuns)),
      target: '>= 1,000,000 events/s',
      met: o >= 1_000_000,
      note: `${books.toLocaleString('en-US')} book deltas (50 levels a side) and a trade every 10, through a fixed-spread strategy (stateless: a book that leaves the touch where it was is not re-decided until a hygiene clock runs out; ${fills} fills); ${Math.round(books / median(oursCpu.slice(1))).toLocaleString('en-US')} events per CPU-second (median; the wall-clock figure moves with the machine's load); baseline: the same deltas applied to an L2 book and nothing else.`,
    },
  ];
}
