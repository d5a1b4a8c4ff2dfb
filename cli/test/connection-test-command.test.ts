import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

describe('perpetua test', () => {
  it('--sim: every venue connects and authenticates; prints the comparison and the pairwise summary; exits 0', async () => {
    const r = await runCli(['test', '--sim'], {}, 90_000);
    expect(r.code, r.stderr).toBe(0);
    for (const v of ['binanceusdm', 'bybit', 'okx', 'standx', 'grvt']) expect(r.stdout).toMatch(new RegExp(`${v}\\s+ok\\s+\\d+ ms\\s+ok`));
    expect(r.stdout).toContain('== BTC-PERP ==');
    expect(r.stdout).toMatch(/binanceusdm -> bybit: gross -?\d+\.\d+%, net -?\d+\.\d+%/);
  }, 120_000);

  it('a venue with a wrong key fails the run, and the error says which venue and why, without the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpetua-test-'));
    const file = join(dir, 'perpetua.yaml');
    const wrongSecret = 'definitely-not-the-bybit-secret-0123456789';
    writeFileSync(
      file,
      [
        'venues:',
        '  binanceusdm: { kind: ccxt, exchange: binanceusdm, symbols: [BTC-PERP] }',
        `  bybit: { kind: ccxt, exchange: bybit, symbols: [BTC-PERP], secret: ${wrongSecret} }`,
        '  standx: { kind: standx, symbols: [BTC-PERP] }',
        '',
      ].join('\n'),
    );
    const r = await runCli(['test', '--sim', '--config', file], {}, 90_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout, r.stderr).toMatch(/bybit\s+FAIL/);
    expect(r.stdout).toMatch(/binanceusdm\s+ok/);
    expect(r.stderr).toMatch(/perpetua test: bybit failed: authentication: .+/);
    expect(r.stderr + r.stdout).not.toContain(wrongSecret);
  }, 120_000);
});
