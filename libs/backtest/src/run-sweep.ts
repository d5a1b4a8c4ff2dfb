import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { StrategyParams } from '@perpetua/strategies';
import type { BacktestReport } from './backtest-report.js';
import { gridCombinations, type GridAxis } from './parameter-grid.js';
import type { BacktestSetup } from './run-backtest.js';
import { rankRuns, type RankedRun, type SweepScore } from './sweep-score.js';

/** Run from TypeScript sources (tsx), the worker needs the loader registered first; compiled, it is plain JS. */
const WORKER_URL = import.meta.url.endsWith('.ts') ? new URL('./sweep-worker-bootstrap.mjs', import.meta.url) : new URL('./sweep-worker.js', import.meta.url);

export interface SweepProgress {
  done: number;
  total: number;
}

/**
 * Runs every combination of the grid (each a strategy's params with the
 * axes' values set) on worker threads, all cores by default, and ranks them.
 * Each run is deterministic, so the same seed gives the same ranking whatever
 * the order the workers finish in. A combination the strategy's schema refuses
 * is an error before anything runs.
 */
export async function runSweep(base: BacktestSetup, axes: readonly GridAxis[], score: SweepScore, opts: { workers?: number; onProgress?: (p: SweepProgress) => void } = {}): Promise<RankedRun[]> {
  const combos = gridCombinations(axes);
  const setups = combos.map((c) => {
    const parsed = StrategyParams.safeParse({ ...base.strategy.params, ...c });
    if (!parsed.success) throw new Error(`--sweep: ${JSON.stringify(c)}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ')}`);
    // The schema drops keys it does not know: a swept key that did not survive is not a parameter of this strategy.
    const unknown = Object.keys(c).filter((k) => !(k in parsed.data));
    if (unknown.length > 0) throw new Error(`--sweep: ${unknown.join(', ')} is not a parameter of a ${base.strategy.params.kind} strategy`);
    return { ...base, strategy: { ...base.strategy, params: parsed.data } };
  });
  const reports: Array<BacktestReport | undefined> = new Array(setups.length);
  const n = Math.max(1, Math.min(opts.workers ?? availableParallelism(), setups.length));
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      const worker = new Worker(WORKER_URL);
      try {
        while (next < setups.length) {
          const index = next++;
          const answer = await new Promise<{ index: number; report?: BacktestReport; error?: string }>((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.postMessage({ index, setup: setups[index] });
          });
          worker.removeAllListeners('error');
          if (answer.error !== undefined) throw new Error(`--sweep ${JSON.stringify(combos[index])}: ${answer.error}`);
          reports[index] = answer.report;
          opts.onProgress?.({ done: ++done, total: setups.length });
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return rankRuns(
    combos.map((params, i) => ({ params, report: reports[i]! })),
    score,
  );
}
