/**
 * `npm run bench [-- --quick] [--only <prefix>]`: every benchmark, one table, bench/results.json and
 * the generated block of docs/PERFORMANCE.md. Not part of `npm test`. `--only sim.push` runs just the
 * groups whose figure names start with the prefix and prints their table without writing any file
 * (a partial run must not overwrite the full report); with `--merge` as well, its figures replace
 * those of the same name in bench/results.json (each stamped with its own date and mode) and the
 * rest of the file stays the last full run's. docs/PERFORMANCE.md's generated block is only ever
 * written by a full run.
 */
import { resolve } from 'node:path';
import { benchOptions, type BenchOptions } from './harness/bench-options.js';
import type { Figure } from './harness/figure.js';
import { mergeResults, renderTable, updatePerformanceDoc, writeResults } from './harness/report.js';
import { simPushFigures } from './sim/facade-push.js';
import { bookUpdateFigures } from './book/book-update.js';
import { bookMessageCostFigures } from './message/book-message-cost.js';
import { arbDecisionFigures } from './arb/arb-decision.js';
import { pipelineFigures } from './pipeline/tick-to-order.js';
import { gatewayIngestFigures } from './gateway/gateway-ingest.js';
import { backtestThroughputFigures } from './backtest/backtest-throughput.js';
import { dashboardLoadFigures } from './dashboard/dashboard-load.js';

const ROOT = resolve(import.meta.dirname, '..');
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** The benchmark groups, each with the name prefix of every figure it reports. */
const GROUPS: ReadonlyArray<{ prefixes: readonly string[]; run: (opts: BenchOptions) => Figure[] | Promise<Figure[]> }> = [
  { prefixes: ['book.update'], run: (o) => bookUpdateFigures(o, log) },
  { prefixes: ['message.book'], run: (o) => bookMessageCostFigures(o, log) },
  { prefixes: ['arb.decision'], run: (o) => arbDecisionFigures(o, log) },
  { prefixes: ['sim.push'], run: (o) => simPushFigures(o, log) },
  { prefixes: ['gateway.ingest'], run: (o) => gatewayIngestFigures(o, log) },
  { prefixes: ['pipeline', 'memory'], run: (o) => pipelineFigures(o, log) },
  { prefixes: ['backtest'], run: (o) => backtestThroughputFigures(o, log) },
  { prefixes: ['dashboard'], run: (o) => dashboardLoadFigures(o, log) },
];

/** Splits `--only <prefix>` off the arguments (the rest go to benchOptions). */
function onlyOption(argv: readonly string[]): { only: string | undefined; rest: string[] } {
  const i = argv.indexOf('--only');
  if (i < 0) return { only: undefined, rest: [...argv] };
  const only = argv[i + 1];
  if (only === undefined || only.startsWith('--')) throw new Error('--only needs a figure-name prefix, e.g. --only sim.push');
  return { only, rest: [...argv.slice(0, i), ...argv.slice(i + 2)] };
}

/** A group runs when one of its prefixes and the filter are a prefix of one another (`sim` and `sim.push.total` both select sim.push). */
const selected = (prefixes: readonly string[], only: string | undefined): boolean =>
  only === undefined || prefixes.some((p) => p.startsWith(only) || only.startsWith(p));

async function main(): Promise<void> {
  const { only, rest: args } = onlyOption(process.argv.slice(2));
  const merge = args.includes('--merge');
  if (merge && only === undefined) throw new Error('--merge goes with --only <prefix> (a full run writes every figure anyway)');
  const opts = benchOptions(args.filter((a) => a !== '--merge'));
  const started = Date.now();
  const figures: Figure[] = [];
  const groups = GROUPS.filter((g) => selected(g.prefixes, only));
  if (groups.length === 0) throw new Error(`--only ${only}: no benchmark reports figures starting with it`);
  for (const g of groups) figures.push(...(await g.run(opts)));
  const shown = only === undefined ? figures : figures.filter((f) => f.name.startsWith(only));
  process.stdout.write(`${renderTable(shown)}\n`);
  if (only !== undefined) {
    for (const f of shown) if (f.note) log(`${f.name}: ${f.note}`);
    if (merge) mergeResults(resolve(ROOT, 'bench/results.json'), shown, opts.quick);
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s (--only ${only}: ${merge ? `merged ${shown.length} figure(s) into bench/results.json` : 'nothing written'})`);
    return;
  }
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
