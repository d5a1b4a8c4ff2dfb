import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('perpetua research avellaneda-stoikov', () => {
  it('--json prints one object on the last line with both strategies, the same for the same seed', async () => {
    const args = ['research', 'avellaneda-stoikov', '--gamma', '0.1', '--paths', '100', '--seed', '3', '--json'];
    const [a, b] = [await runCli(args), await runCli(args)];
    expect(a.code).toBe(0);
    const last = JSON.parse(a.stdout.trim().split('\n').at(-1)!) as Record<string, Record<string, number>>;
    for (const k of ['inventory', 'symmetric']) expect(Object.keys(last[k]!).sort()).toEqual(['profitMean', 'profitStd', 'qMean', 'qStd', 'spread']);
    expect(last.inventory!.qStd).toBeLessThan(last.symmetric!.qStd!);
    expect(b.stdout).toBe(a.stdout);
  });

  it('a bad --gamma or topic exits 2 with one line naming it', async () => {
    const g = await runCli(['research', 'avellaneda-stoikov', '--gamma', '0']);
    expect(g.code).toBe(2);
    expect(g.stderr.trim().split('\n')).toHaveLength(1);
    expect(g.stderr).toContain('--gamma');
    const t = await runCli(['research', 'glft', '--gamma', '1']);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('avellaneda-stoikov');
  });
});
