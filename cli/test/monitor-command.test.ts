import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { BIN, ROOT, runCli } from './run-cli.js';

/** Runs a command under a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
function underPty(args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    execFile('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, TERM: 'xterm' } }, (err, stdout) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout });
    });
  });
}

describe('perpetua monitor', () => {
  it('piped: prints plain blocks with every venue per symbol and a statistics block, and exits 0', async () => {
    const r = await runCli(['monitor', '--sim', '--duration', '7', '--interval', '2'], {}, 90_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\x1b[');
    const blocks = r.stdout.split('perpetua monitor ').filter((b) => b.trim() !== '');
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const last = blocks.at(-1)!;
    for (const v of ['binanceusdm', 'bybit', 'okx', 'standx', 'grvt']) expect(last).toMatch(new RegExp(`${v}\\s+\\d+\\.\\d+\\s+\\d+\\.\\d+`));
    expect(last).toContain('== BTC-PERP ==');
    expect(last).toContain('== ETH-PERP ==');
    expect(last).toContain('-- statistics --');
    expect(last).toMatch(/book updates: [1-9]\d*/);
  }, 120_000);

  it('on a terminal: redraws in place (clears the screen each refresh) and exits 0', async () => {
    const r = await underPty(['monitor', '--sim', '--duration', '6', '--interval', '2', '--symbols', 'BTC-PERP'], 90_000);
    expect(r.code).toBe(0);
    expect(r.out.split('\x1b[H\x1b[2J').length - 1).toBeGreaterThanOrEqual(2);
    expect(r.out).toContain('== BTC-PERP ==');
    expect(r.out).not.toContain('== ETH-PERP ==');
    expect(r.out).toContain('-- statistics --');
  }, 120_000);

  it('bad options exit 2 with one line', async () => {
    for (const args of [['--interval', '0'], ['--min-profit', 'lots'], ['--symbols', 'btc']]) {
      const r = await runCli(['monitor', '--sim', '--duration', '1', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 120_000);
});
