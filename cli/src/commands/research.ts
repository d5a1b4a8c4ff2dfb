import { PAPER_PARAMS, runAvellanedaStoikovExperiment, type AsExperimentResult, type StrategyOutcome } from '@perpetua/research';

export interface AsResearchOptions {
  gamma: number;
  paths: number;
  seed: number;
  json: boolean;
  /** Where progress goes (a TTY's stderr), or undefined for none. */
  progress?: NodeJS.WriteStream;
}

/**
 * `perpetua research avellaneda-stoikov`: the paper's experiment with the
 * project's own pricing functions. Prints a table, or with --json one object
 * on the last line: {"inventory":{...},"symmetric":{...}}.
 */
export function runAvellanedaStoikovResearch(opts: AsResearchOptions): AsExperimentResult {
  const params = { ...PAPER_PARAMS, gamma: opts.gamma, paths: opts.paths, seed: opts.seed };
  const result = runAvellanedaStoikovExperiment(params, opts.progress ? (done) => opts.progress!.write(`\r${done}/${params.paths} paths`) : undefined);
  if (opts.progress) opts.progress.write('\n');
  const out = process.stdout;
  if (!opts.json) {
    out.write(`Avellaneda–Stoikov experiment: γ=${params.gamma}, ${params.paths} paths, seed ${params.seed} (s0=${params.s0}, σ=${params.sigma}, T=${params.horizon}, dt=${params.dt}, A=${params.a}, k=${params.k})\n`);
    out.write(`${['strategy', 'spread', 'profit', 'std(profit)', 'final q', 'std(final q)'].map((h) => h.padStart(14)).join('')}\n`);
    for (const [name, o] of [['inventory', result.inventory], ['symmetric', result.symmetric]] as const) out.write(`${row(name, o)}\n`);
  } else {
    const pick = (o: StrategyOutcome) => ({ spread: o.spread, profitMean: o.profitMean, profitStd: o.profitStd, qMean: o.qMean, qStd: o.qStd });
    out.write(`${JSON.stringify({ inventory: pick(result.inventory), symmetric: pick(result.symmetric) })}\n`);
  }
  return result;
}

function row(name: string, o: StrategyOutcome): string {
  return [name, o.spread.toFixed(2), o.profitMean.toFixed(2), o.profitStd.toFixed(2), o.qMean.toFixed(2), o.qStd.toFixed(2)].map((c) => c.padStart(14)).join('');
}
