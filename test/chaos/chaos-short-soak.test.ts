import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The short chaos run (issue #27, acceptance 1): `npm run chaos -- --minutes 2` against the process stack and the
 * simulator, every fault kind it reaches in two minutes, zero violations. It runs with `npm run soak`, not in
 * `npm test` yet: it still finds, now and then, an order resting on a venue after the kill switch under faults
 * (docs/RELIABILITY.md, open defects). The long run is `npm run chaos -- --minutes 10`.
 */
const ROOT = resolve(import.meta.dirname, '../..');

describe('npm run chaos -- --minutes 2', () => {
  it('injects faults one at a time and together, checks the invariants after each, and finds no violation', async () => {
    const seed = Number(process.env.CHAOS_SEED ?? 1);
    let stdout = '';
    let stderr = '';
    let code = 0;
    try {
      ({ stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/chaos/run-chaos.ts', '--minutes', '2', '--seed', String(seed)], { cwd: ROOT, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }));
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      code = typeof e.code === 'number' ? e.code : -1;
      stdout = e.stdout ?? '';
      stderr = e.stderr ?? '';
    }
    console.log(stdout);
    expect(stdout, `the table; stderr ends:\n${stderr.split('\n').slice(-30).join('\n')}`).toMatch(/Chaos run: seed \d+, 2 min, (\d+) steps/);
    const steps = Number(/, (\d+) steps/.exec(stdout)![1]);
    expect(steps, 'at least a handful of fault steps in two minutes').toBeGreaterThanOrEqual(5);
    expect(stdout).toContain(' 0 violations.');
    expect(code, 'exit code').toBe(0);
  }, 260_000);
});
