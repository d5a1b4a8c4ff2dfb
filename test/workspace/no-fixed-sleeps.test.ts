import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedSleepsIn, sleepHelpersIn } from './fixed-sleeps.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Fixed sleeps that stay, each because the time itself is what the test
 * exercises (a run of a stated length, a venue's countdown or keepalive
 * expiring, a load generator's pacing) or because it is the poll interval of a
 * condition wait. Matched by file and the trimmed line.
 */
const LEGITIMATE: ReadonlyArray<{ file: string; code: string; reason: string }> = [
  { file: 'cli/test/trading-soak.test.ts', code: 'await wait(SOAK_MS);', reason: 'the soak: trading for the stated length is the test (npm run soak)' },
  { file: 'cli/test/multiprocess-gateways.test.ts', code: 'await wait(RUN_MS);', reason: 'the gateways run the market for a stated time before the books are compared' },
  { file: 'cli/test/live-parity-harness.ts', code: 'await new Promise((r) => setTimeout(r, opts.seconds * 1000));', reason: 'the strategy quotes live for the stated recording length: that window is what is backtested' },
  { file: 'libs/sim/test/support/wait.ts', code: 'await sleep(2);', reason: "waitFor's poll interval (a condition wait)" },
  { file: 'libs/sim/test/support/wait.ts', code: 'await sleep(everyMs);', reason: 'stepUntil/stepFor: the interval at which the simulated world is stepped' },
  { file: 'libs/sim/test/grvt/grvt-client.ts', code: 'await sleep(5);', reason: "waitFor's poll interval (a condition wait)" },
  { file: 'libs/sim/test/standx/keepalive.test.ts', code: 'await new Promise((r) => setTimeout(r, PONG_TIMEOUT_MS));', reason: 'the keepalive timeout elapsing is what is tested' },
  { file: 'libs/sim/test/standx/keepalive.test.ts', code: 'await new Promise((r) => setTimeout(r, 2.5 * PONG_TIMEOUT_MS));', reason: 'the keepalive timeout elapsing is what is tested' },
  { file: 'libs/sim/test/grvt/cancel-on-disconnect.test.ts', code: 'await sleep(2_300);', reason: "the venue's cancel-on-disconnect countdown (2 s) elapsing is what is tested" },
  { file: 'libs/sim/test/grvt/cancel-on-disconnect.test.ts', code: 'await sleep(1_200);', reason: "the venue's countdown (1 s) elapsing is what is tested" },
  { file: 'libs/sim/test/grvt/cancel-on-disconnect.test.ts', code: 'await sleep(300); // the heartbeats\' pacing: 6 × 300 ms outlasts the 1 s countdown they keep armed', reason: 'heartbeats paced over longer than the countdown: that they keep it armed is what is tested' },
  { file: 'libs/venues/test/grvt/grvt-trading.test.ts', code: 'await sleep(3_000); // longer than the countdown: the heartbeats keep it armed', reason: "the venue's countdown elapsing while heartbeats keep it armed is what is tested" },
  { file: 'libs/venues/test/ccxt/ccxt-trading.test.ts', code: 'if (n % 3 === 0) await sleep(2);', reason: "a load generator's pacing" },
  { file: 'libs/venues/test/grvt/grvt-trading.test.ts', code: 'if (i % 50 === 0) await sleep(1);', reason: "a load generator's pacing" },
  { file: 'libs/venues/test/standx/standx-trading.test.ts', code: 'if (i % 10 === 0) await sleep(1);', reason: "a load generator's pacing" },
  { file: 'services/gateway/test/gateway-faults.test.ts', code: 'await sleep(STEP_PAUSE_MS);', reason: 'the fault script is paced in steps, and recovery is counted in steps' },
  { file: 'services/gateway/test/gateway-faults.test.ts', code: 'await sleep(Math.max(0, frozeAt + freezeMs - Date.now()));', reason: 'the venue freeze lasts a stated time: the staleness budget is measured against it' },
];

function testFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z', '--', '*.ts'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && (/(^|\/)test\//.test(f) || f.endsWith('.test.ts')) && !f.startsWith('test/workspace/'));
}

describe('no fixed sleeps used as waits in tests', () => {
  const sources = new Map<string, string>();
  const read = (path: string): string | undefined => {
    if (!sources.has(path) && existsSync(join(ROOT, path))) sources.set(path, readFileSync(join(ROOT, path), 'utf8'));
    return sources.get(path);
  };
  const helpers = new Map<string, Set<string>>();
  // Only a file with a timer can define a sleep helper: the others are not parsed for one.
  const helpersOf = (path: string): Set<string> => {
    let h = helpers.get(path);
    const source = read(path);
    if (!h) helpers.set(path, (h = source?.includes('setTimeout') ? sleepHelpersIn(path, source) : new Set()));
    return h;
  };
  let everySleep: Array<{ file: string; line: number; code: string }> = [];

  beforeAll(() => {
    const files = testFiles();
    const helperNames = new Set(files.flatMap((f) => [...helpersOf(f)]));
    // Parsing is the slow part: a file with neither a timer nor a helper's name has no sleep to find.
    const candidates = files.filter((f) => {
      const source = read(f)!;
      return source.includes('setTimeout') || [...helperNames].some((n) => source.includes(n));
    });
    everySleep = candidates.flatMap((f) => fixedSleepsIn(f, read(f)!, helpersOf).map((s) => ({ file: f, ...s })));
  });

  it('recognises awaited timers and sleep helpers, not timeouts that only bound a wait', () => {
    const source = [
      "import { settle } from './harness.js';", // 1
      'const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));', // 2
      'await sleep(100);', // 3
      'await new Promise((r) => setTimeout(r, 50));', // 4
      'await settle();', // 5
      'await new Promise((_, reject) => setTimeout(() => reject(new Error("late")), 5_000));', // 6
      'await waitUntil(() => done, 1_000, "done");', // 7
      'await runCli(new Promise((res) => { const t = setTimeout(() => kill(), 9); res(t); }));', // 8
      'const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);', // 9
    ].join('\n');
    const found = fixedSleepsIn('x/test/a.test.ts', source, (p) => (p === 'x/test/harness.ts' ? new Set(['settle']) : new Set()));
    expect(found.map((s) => s.line)).toEqual([3, 4, 5]);
  });

  it('finds none but the legitimate ones', () => {
    const allowed = (file: string, code: string): boolean =>
      LEGITIMATE.some((a) => a.file === file && a.code === code);
    const found = everySleep.filter((s) => !allowed(s.file, s.code)).map((s) => `${s.file}:${s.line}: ${s.code}`);
    expect(found, 'a fixed sleep used as a wait: wait on a condition (waitUntil) or observe an absence over a window (holdsFor)').toEqual([]);
  });

  it('lists no allowance that matches nothing any more', () => {
    const all = new Set(everySleep.map((s) => `${s.file}\u0000${s.code}`));
    const stale = [...LEGITIMATE].filter((a) => !all.has(`${a.file}\u0000${a.code}`)).map((a) => `${a.file}: ${a.code}`);
    expect(stale).toEqual([]);
  });
});
