/**
 * `npm run backtest:acceptance`: the long form of the backtest's acceptance (too long for npm test, whose
 * cli/test/backtest-command.test.ts runs 72 simulated seconds): a simulated hour of config/uptime.yaml, twice.
 * Both runs must finish, report every figure and print byte-identical output. Exit 0 when they do.
 */
import { runCli } from './run-cli.js';

const FIGURES = ['pnl', 'volume', 'fills', 'fillRate', 'avgCapturedSpreadBps', 'inventory', 'turnover', 'maxDrawdown', 'dailySharpe', 'requotesPerMinute', 'volatilityPauseSec', 'makerYield'];
const args = ['backtest', '--sim', '1', '--hours', '1', '--config', 'config/uptime.yaml', '--json'];

const a = await runCli(args, {}, 1_800_000);
const b = await runCli(args, {}, 1_800_000);
const fail = (why: string) => {
  process.stderr.write(`backtest acceptance: ${why}\n`);
  process.exit(1);
};
if (a.code !== 0 || b.code !== 0) fail(`exit codes ${a.code}, ${b.code}\n${a.stderr}${b.stderr}`);
if (a.stdout !== b.stdout) fail('the two runs printed different reports');
const report = JSON.parse(a.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
const missing = FIGURES.filter((k) => !(k in report));
if (missing.length > 0) fail(`missing figures: ${missing.join(', ')}`);
process.stdout.write(a.stdout);
process.stderr.write('backtest acceptance: a simulated hour, every figure, identical twice\n');
