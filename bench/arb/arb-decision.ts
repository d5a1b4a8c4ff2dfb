import { ArbDetector } from '@perpetua/arb';
import type { BookMessage } from '@perpetua/core';
import type { BenchOptions } from '../harness/bench-options.js';
import type { Figure } from '../harness/figure.js';
import { percentile } from '../harness/percentile.js';
import { arbBooks } from '../workloads/arb-books.js';

/** Per-update decision times (µs) of a detector over the stream, after loading every book once. */
function decisionTimes(allPairs: boolean, warmup: readonly BookMessage[], updates: readonly BookMessage[]): number[] {
  const d = new ArbDetector({ threshold: 0.001, takerFees: {}, defaultTakerFee: 0.0004, maxQty: {}, defaultMaxQty: 10, depth: 10, evaluateAllPairs: allPairs });
  for (const b of warmup) d.onBook(structuredClone(b), 0);
  // The detector keeps a reference to the book it was given: a fresh copy per update, made outside the timing.
  const copies = updates.map((b) => structuredClone(b));
  const out = new Array<number>(copies.length);
  for (let i = 0; i < copies.length; i++) {
    const t0 = process.hrtime.bigint();
    d.onBook(copies[i]!, i);
    out[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return out;
}

/**
 * The detector's decision time per book update with 20 venues x 50 symbols of
 * live books, against re-scanning every venue pair of the updated symbol (the
 * straightforward design). Target: p99 <= 50 µs.
 */
export function arbDecisionFigures(opts: BenchOptions, log: (line: string) => void): Figure[] {
  log('arb: decision time per book update, 20 venues x 50 symbols');
  const { warmup, updates } = arbBooks({ seed: 9, venues: 20, symbols: 50, levels: 10, updates: opts.quick ? 50_000 : 200_000, gapChance: 0.01 });
  decisionTimes(false, warmup, updates.slice(0, 5_000)); // JIT warm-up
  decisionTimes(true, warmup, updates.slice(0, 5_000));
  const ours = decisionTimes(false, warmup, updates);
  const base = decisionTimes(true, warmup, updates);
  const figure = (p: number, target: number | undefined): Figure => {
    const o = percentile(ours, p);
    const b = percentile(base, p);
    return {
      name: `arb.decision.p${p}`,
      label: `arb detector: book update to decision, p${p}`,
      unit: 'µs',
      ours: o,
      baseline: b,
      ratio: o / b,
      better: 'lower',
      spread: 0,
      target: target === undefined ? 'report' : `<= ${target} µs`,
      met: target === undefined ? null : o <= target,
      ...(p === 99 ? { note: `${updates.length.toLocaleString('en-US')} seeded updates over 20 venues x 50 symbols (10 levels), 1% carrying a venue gap; baseline re-evaluates every venue pair of the updated symbol. One run: the percentile is over all updates, so no spread across repetitions is reported.` } : {}),
    };
  };
  return [figure(50, undefined), figure(99, 50)];
}
