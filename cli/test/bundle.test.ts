import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from '../build/bundle.js';
import { ROOT } from './run-cli.js';

/**
 * `npm run build` makes a bundle that runs without tsx: the help text, and a
 * command whose modules load lazily (the simulator, with viem and the façades)
 * reaching its ready line. Built into .tmp/ so dist/ is left alone.
 */
const OUT = join(ROOT, '.tmp', `bundle-test-${process.pid}`);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

function firstLine(entry: string, args: string[], timeoutMs: number): Promise<{ line: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: no line in ${timeoutMs} ms\n${err}`));
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        child.kill('SIGTERM');
        child.once('exit', (code) => resolve({ line: out.slice(0, nl), code }));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (out.indexOf('\n') < 0) resolve({ line: out, code });
    });
  });
}

describe('the bundled CLI (npm run build)', () => {
  it('builds, prints its usage and starts the simulator without tsx', async () => {
    const { entry } = await bundle(OUT);
    const help = await firstLine(entry, ['help'], 30_000);
    expect(help.line).toContain('perpetua — market making and arbitrage');
    const sim = await firstLine(entry, ['sim', '--seed', '3'], 60_000);
    expect(JSON.parse(sim.line)).toMatchObject({ event: 'ready', admin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+/) });
  }, 120_000);
});
