/** How long and how often a benchmark measures: `--quick` for CI, the full run for the report. */
export interface BenchOptions {
  quick: boolean;
  /** Measured repetitions of each figure (after one warm-up). */
  repetitions: number;
  /** Length of one timed window, ms. */
  windowMs: number;
  /** `--cpu-prof-dir D`: the service processes a benchmark spawns write a V8 CPU profile (node --cpu-prof) into D. */
  cpuProfDir: string | undefined;
}

export function benchOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let cpuProfDir: string | undefined;
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--cpu-prof-dir') {
      cpuProfDir = argv[++i];
      if (cpuProfDir === undefined || cpuProfDir.startsWith('--')) throw new Error('--cpu-prof-dir needs a directory');
    } else unknown.push(a);
  }
  if (unknown.length > 0) throw new Error(`unknown argument(s) ${unknown.join(' ')}; usage: npm run bench [-- [--quick] [--only <prefix>] [--cpu-prof-dir <dir>]]`);
  // Full mode stays under 10 minutes in all on 2 cores, 5.5 of them being the pipeline's memory soak; with the gateway
  // ingest figure added, 4 repetitions of 2 s took 9m22s on a loaded machine, hence 3 of 1.5 s.
  return quick ? { quick, repetitions: 3, windowMs: 1_000, cpuProfDir } : { quick, repetitions: 3, windowMs: 1_500, cpuProfDir };
}
