import { describe, expect, it } from 'vitest';
import { SimReady } from '@perpetua/sim';
import { runCli } from './run-cli.js';
import { spawnUntilReady } from './spawn-ready.js';

describe('perpetua sim', () => {
  it('prints the ready object first, serves every façade it names, and stops cleanly on SIGTERM', async () => {
    const sim = await spawnUntilReady(['sim', '--seed', '7'], SimReady);
    try {
      expect(sim.ready.seed).toBe(7);
      const { binanceusdm, standx } = sim.ready.venues;
      expect(binanceusdm?.protocol).toBe('binanceusdm');
      expect(standx?.protocol).toBe('standx');
      // Each façade answers on the URL the ready line gives, with its venue's own shapes.
      const ping = await fetch(`${binanceusdm!.rest}/fapi/v1/ping`);
      expect(ping.status).toBe(200);
      expect(await ping.json()).toEqual({});
      const health = await fetch(`${standx!.rest}/api/health`);
      expect(health.status).toBe(200);
      // The market moves: two depth snapshots a few steps apart differ.
      const depth = async () => (await (await fetch(`${binanceusdm!.rest}/fapi/v1/depth?symbol=BTCUSDT&limit=5`)).json()) as { lastUpdateId: number };
      const first = await depth();
      await new Promise((r) => setTimeout(r, 500));
      expect((await depth()).lastUpdateId).toBeGreaterThan(first.lastUpdateId);
    } finally {
      expect(await sim.stop('SIGTERM')).toBe(0);
    }
  });

  it('rejects a bad seed with exit code 2 and one line', async () => {
    const r = await runCli(['sim', '--seed', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--seed');
  });
});
