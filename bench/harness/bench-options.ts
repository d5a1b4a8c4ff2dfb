/** How long and how often a benchmark measures: `--quick` for CI, the full run for the report. */
export interface BenchOptions {
  quick: boolean;
  /** Measured repetitions of each figure (after one warm-up). */
  repetitions: number;
  /** Length of one timed window, ms. */
  windowMs: number;
}

export function benchOptions(argv: readonly string[]): BenchOptions {
  const unknown = argv.filter((a) => a !== '--quick');
  if (unknown.length > 0) throw new Error(`unknown argument(s) ${unknown.join(' ')}; usage: npm run bench [-- --quick]`);
  const quick = argv.includes('--quick');
  // Full mode stays under 10 minutes in all, 5 of them being the pipeline's memory soak.
  return quick ? { quick, repetitions: 3, windowMs: 1_000 } : { quick, repetitions: 4, windowMs: 2_000 };
}
