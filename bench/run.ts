/**
 * `npm run bench [-- --quick]`: every benchmark, one table, bench/results.json and
 * the generated block of docs/PERFORMANCE.md. Not part of `npm test`.
 */
import { resolve } from 'node:path';
import { benchOptions } from './harness/bench-options.js';
import type { Figure } from './harness/figure.js';
import { renderTable, updatePerformanceDoc, writeResults } from './harness/report.js';
import { simPushFigures } from './sim/facade-push.js';
import { bookUpdateFigures } from './book/book-update.js';
import { bookMessageCostFigures } from './message/book-message-cost.js';
import { arbDecisionFigures } from './arb/arb-decision.js';
import { pipelineFigures } from './pipeline/tick-to-order.js';

const ROOT = resolve(import.meta.dirname, '..');
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function main(): Promise<void> {
  const opts = benchOptions(process.argv.slice(2));
  const started = Date.now();
  const figures: Figure[] = [];
  figures.push(...bookUpdateFigures(opts, log));
  figures.push(...bookMessageCostFigures(opts, log));
  figures.push(...arbDecisionFigures(opts, log));
  figures.push(...(await simPushFigures(opts, log)));
  figures.push(...(await pipelineFigures(opts, log)));
  process.stdout.write(`${renderTable(figures)}\n`);
  writeResults(resolve(ROOT, 'bench/results.json'), figures, opts.quick);
  updatePerformanceDoc(resolve(ROOT, 'docs/PERFORMANCE.md'), figures, opts.quick);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote bench/results.json and docs/PERFORMANCE.md`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
