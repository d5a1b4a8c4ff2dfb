/**
 * `npm run backtest:live-parity -- --minutes 10 [--seed N]`: backtest equals live (issue #21, acceptance 2) at
 * full length; cli/test/backtest-live-parity.test.ts runs the same harness for 60 s in npm test. Prints both
 * sides' figures and exits 0 when they agree within the tolerance (live-parity-tolerance.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLiveParity } from './live-parity-harness.js';
import { parityVerdict } from './live-parity-tolerance.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, seed: { type: 'string', default: '5' }, queue: { type: 'string' }, 'latency-ms': { type: 'string' } } });
const dir = mkdtempSync(join(tmpdir(), 'perpetua-live-parity-'));
const result = await runLiveParity({
  seconds: Number(values.minutes) * 60,
  seed: Number(values.seed),
  dir,
  alsoWithOurOrders: true,
  queue: values.queue,
  latencyMs: values['latency-ms'] === undefined ? undefined : Number(values['latency-ms']),
});
const verdict = parityVerdict(result.live, result.backtest, result.live.volumeQuote);
process.stdout.write(`${JSON.stringify({ minutes: Number(values.minutes), seed: Number(values.seed), dir, live: result.live, backtest: result.backtest, withOurOrdersLeftIn: result.withOurs, report: result.report, recorded: result.recorded, ownTradesDropped: result.ownTradesDropped, verdict })}\n`);
process.exit(verdict.ok ? 0 : 1);
