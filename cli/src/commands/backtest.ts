import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '@perpetua/config';
import { parseGrid, renderHtmlReport, runBacktest, runSweep, SWEEP_SCORES, uplotAssets, type BacktestProgress, type BacktestReport, type BacktestSetup, type RankedRun, type SweepScore } from '@perpetua/backtest';
import { PerpetuaConfig } from '../perpetua-config.js';
import { ConfigurationError } from '../compose/configuration-error.js';

export const BACKTEST_USAGE = `  perpetua backtest --data FILE | --sim SEED [--hours H] --config FILE [--strategy ID] [--json] [--report FILE.html]
                    [--queue power:2|power2:N|power3:N|log|log2|risk-averse] [--latency-ms N] [--feed-latency-ms N]
                    [--sweep 'key=v1,v2;key2=...' [--score pnl|sharpe|pnl-per-risk|yield] [--workers N]]
      Replays a recording (perpetua record) or a seeded simulated world through the strategy runtime, the risk
      rules and the fill model (queue position, latency, fees, funding); prints the report (--json: one object,
      last line). --report writes one self-contained HTML file with the charts. --sweep runs the grid on worker
      threads and prints the runs ranked by --score (default pnl).`;

/** `perpetua backtest`: a thin shell over libs/backtest. */
export async function runBacktestCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      sim: { type: 'string' },
      hours: { type: 'string' },
      config: { type: 'string' },
      strategy: { type: 'string' },
      json: { type: 'boolean', default: false },
      report: { type: 'string' },
      queue: { type: 'string' },
      'latency-ms': { type: 'string' },
      'feed-latency-ms': { type: 'string' },
      sweep: { type: 'string' },
      score: { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${BACKTEST_USAGE}\n`);
    return 0;
  }
  if ((values.data === undefined) === (values.sim === undefined)) throw new ConfigurationError('perpetua backtest needs --data FILE or --sim SEED (one of them)');
  const config = loadConfig(PerpetuaConfig, { file: values.config, env });
  const strategies = config.strategies;
  const strategy = values.strategy === undefined ? strategies[0]! : strategies.find((s) => s.id === values.strategy);
  if (!strategy) throw new ConfigurationError(`--strategy ${values.strategy}: not in the configuration (it has ${strategies.map((s) => s.id).join(', ')})`);
  const number = (name: string, text: string | undefined, fallback: number, min: number, max: number, integer = false): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) throw new ConfigurationError(`--${name} expects ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${text}"`);
    return n;
  };
  const seed = number('sim', values.sim, 1, 0, 0xffffffff, true);
  const hours = number('hours', values.hours, 1, 0.001, 24 * 366);
  const setup: BacktestSetup = {
    source: values.data !== undefined ? { kind: 'recording', path: values.data } : { kind: 'sim', seed, hours },
    strategy: { id: strategy.id, venue: strategy.venue, account: strategy.account, symbol: strategy.symbol, params: strategy.params },
    risk: config.risk,
    queue: values.queue,
    latencyMs: number('latency-ms', values['latency-ms'], 10, 0, 60_000),
    feedLatencyMs: number('feed-latency-ms', values['feed-latency-ms'], 5, 0, 60_000),
  };
  try {
    (await import('@perpetua/fills')).queueModelFromSpec(setup.queue ?? 'power:2');
  } catch (err) {
    throw new ConfigurationError(`--queue: ${(err as Error).message}`);
  }
  const progress = new ProgressLine(process.stderr.isTTY === true);

  if (values.sweep !== undefined) {
    const score = (values.score ?? 'pnl') as SweepScore;
    if (!SWEEP_SCORES.includes(score)) throw new ConfigurationError(`--score expects one of ${SWEEP_SCORES.join(', ')}, got "${values.score}"`);
    let axes;
    try {
      axes = parseGrid(values.sweep);
    } catch (err) {
      throw new ConfigurationError((err as Error).message);
    }
    const workers = values.workers === undefined ? undefined : number('workers', values.workers, 1, 1, 256, true);
    const ranked = await runSweep(setup, axes, score, { workers, onProgress: (p) => progress.show(`sweep: ${p.done}/${p.total} runs done`) }).catch((err: unknown) => {
      throw err instanceof Error && err.message.startsWith('--sweep') ? new ConfigurationError(err.message) : err;
    });
    progress.clear();
    process.stdout.write(values.json ? `${JSON.stringify({ score, runs: ranked.map((r) => ({ rank: r.rank, params: r.params, score: r.score, report: r.report })) })}\n` : sweepTable(ranked, score));
    return 0;
  }

  const started = performance.now();
  const result = await runBacktest(setup, (p) => progress.show(progressText(p, started)));
  progress.clear();
  if (values.report !== undefined) writeFileSync(values.report, renderHtmlReport(result, uplotAssets()));
  process.stdout.write(values.json ? `${JSON.stringify(result.report)}\n` : reportText(result.report));
  return 0;
}

function progressText(p: BacktestProgress, started: number): string {
  const secs = (performance.now() - started) / 1000;
  const rate = p.events / Math.max(secs, 1e-3);
  const eta = p.fraction !== undefined && p.fraction > 0 ? `, ETA ${Math.max(0, (secs / p.fraction - secs)).toFixed(0)} s` : '';
  return `backtest: ${p.events} events, ${Math.round(rate)} events/s, simulated ${new Date(p.simTime).toISOString()}${eta}`;
}

/** One line of progress on a terminal, redrawn in place; nothing when stderr is not a terminal. */
class ProgressLine {
  private shown = false;
  constructor(private readonly tty: boolean) {}
  show(text: string): void {
    if (!this.tty) return;
    process.stderr.write(`\r\x1b[2K${text}`);
    this.shown = true;
  }
  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[2K');
  }
}

function reportText(r: BacktestReport): string {
  const lines: Array<[string, string]> = [
    ['strategy', `${r.strategy} on ${r.venue} ${r.symbol}, ${new Date(r.from).toISOString()} → ${new Date(r.to).toISOString()} (${r.events} events)`],
    ['PnL total', r.pnl.total],
    ['  realized', r.pnl.realized],
    ['  unrealized', r.pnl.unrealized],
    ['  fees paid', r.pnl.fees],
    ['  rebates', r.pnl.rebates],
    ['  funding', r.pnl.funding],
    ['volume', `${r.volume} (${r.volumeBase} base)`],
    ['fills / orders / fill rate', `${r.fills} / ${r.ordersPlaced} / ${(r.fillRate * 100).toFixed(2)}%`],
    ['avg captured spread', `${r.avgCapturedSpreadBps} bps`],
    ['inventory mean / std / max', `${r.inventory.mean} / ${r.inventory.std} / ${r.inventory.maxAbs} (final ${r.inventory.final})`],
    ['turnover', String(r.turnover)],
    ['max drawdown', String(r.maxDrawdown)],
    ['daily Sharpe', String(r.dailySharpe)],
    ['requotes per minute', String(r.requotesPerMinute)],
    ['volatility pause', `${r.volatilityPauseSec} s`],
    ['maker-yield uptime / credit', `${r.makerYield.uptimePct}% / ${r.makerYield.makerHours} maker hours`],
    ['risk rejects', Object.entries(r.riskRejects).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'],
  ];
  return `${lines.map(([k, v]) => `${k.padEnd(28)}${v}`).join('\n')}\n`;
}

function sweepTable(runs: readonly RankedRun[], score: SweepScore): string {
  const keys = Object.keys(runs[0]?.params ?? {});
  const header = ['rank', ...keys, `score:${score}`, 'pnl', 'sharpe', 'fills', 'inv std', 'uptime %'];
  const rows = runs.map((r) => [String(r.rank), ...keys.map((k) => String(r.params[k])), r.score.toFixed(4), r.report.pnl.total, String(r.report.dailySharpe), String(r.report.fills), String(r.report.inventory.std), String(r.report.makerYield.uptimePct)]);
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: readonly string[]) => row.map((c, i) => c.padEnd(width[i]!)).join('  ').trimEnd();
  return `${[fmt(header), ...rows.map(fmt)].join('\n')}\n`;
}
