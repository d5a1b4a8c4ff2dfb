import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'perpetua-strategy-cfg-'));

function configWith(params: string, name: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `strategies:\n  - id: s1\n    venue: standx\n    symbol: BTC-PERP\n    params:\n${params.replace(/^/gm, '      ')}\n`);
  return file;
}

/** A bad strategy config stops `perpetua mm` before anything starts: exit 2, one line naming the key. */
describe('strategy configuration errors', () => {
  const cases: [string, string, string][] = [
    ['an unknown kind', 'kind: market-maker-9000\norder_amount: 1', 'strategies[0].params.kind'],
    ['γ ≤ 0', 'kind: avellaneda-stoikov\nrisk_factor: 0\norder_amount: 0.01', 'strategies[0].params.risk_factor'],
    ['levels < 1', 'kind: fixed-spread\norder_amount: 0.01\norder_levels: 0', 'strategies[0].params.order_levels'],
    ['a maker-yield band over 10 bps', 'kind: maker-yield\nmax_distance_bps: 11', 'strategies[0].params.max_distance_bps'],
    ['a key no part declares', 'kind: fixed-spread\norder_amount: 0.01\nrisk_factor: 0.1', 'strategies[0].params.risk_factor'],
    ['resume above pause', 'kind: fixed-spread\norder_amount: 0.01\nvolatility_pause_bps: 5\nvolatility_resume_bps: 8', 'strategies[0].params.volatility_resume_bps'],
  ];
  for (const [what, params, key] of cases) {
    it(`${what}: exit 2, one line naming ${key}`, async () => {
      const r = await runCli(['mm', '--config', configWith(params, key.replace(/\W/g, '-')), '--duration', '1']);
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(key);
    });
  }

  it('strategy and strategies together are refused by name', async () => {
    const file = join(dir, 'both.yaml');
    writeFileSync(file, 'strategy:\n  id: a\nstrategies:\n  - id: b\n');
    const r = await runCli(['mm', '--config', file, '--duration', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('strategies');
  });
});
