import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimReady } from '@perpetua/sim';
import { waitUntil } from '@perpetua/testkit';
import { runCli } from './run-cli.js';
import { spawnUntilReady } from './spawn-ready.js';

describe('perpetua sim', () => {
  it('prints the ready object first, serves every façade it names and the admin API, and stops cleanly on SIGTERM', async () => {
    const sim = await spawnUntilReady(['sim', '--seed', '7'], SimReady);
    try {
      expect(sim.ready.seed).toBe(7);
      const { binanceusdm, bybit, standx, grvt } = sim.ready.venues;
      if (binanceusdm?.protocol !== 'binanceusdm' || bybit?.protocol !== 'bybit' || standx?.protocol !== 'standx' || grvt?.protocol !== 'grvt')
        throw new Error(`unexpected venues ${JSON.stringify(sim.ready.venues)}`);
      // Each façade answers on the URL the ready line gives, in its venue's own shapes.
      expect(await (await fetch(`${binanceusdm.rest}/fapi/v1/ping`)).json()).toEqual({});
      expect(await (await fetch(`${bybit.rest}/v5/market/time`)).json()).toMatchObject({ retCode: 0 });
      expect((await fetch(`${standx.rest}/api/health`)).status).toBe(200);
      const instruments = await fetch(`${grvt.marketData}/full/v1/all_instruments`, { method: 'POST', body: '{}' });
      expect(instruments.status).toBe(200);
      // The market moves: two depth snapshots a few steps apart differ.
      const depth = async () => (await (await fetch(`${binanceusdm.rest}/fapi/v1/depth?symbol=BTCUSDT&limit=5`)).json()) as { lastUpdateId: number };
      const first = await depth();
      let latest = first;
      await waitUntil(async () => (latest = await depth()).lastUpdateId > first.lastUpdateId, 5_000, () => `the book to move past update ${first.lastUpdateId} (at ${latest.lastUpdateId})`, 50);
      expect(latest.lastUpdateId).toBeGreaterThan(first.lastUpdateId);
      // The admin API takes a fault and the façade shows it.
      const added = await fetch(`${sim.ready.admin}/faults`, { method: 'POST', body: JSON.stringify({ kind: 'http_error', venue: 'binanceusdm', status: 429, count: 1 }) });
      expect(added.status).toBe(201);
      const limited = await fetch(`${binanceusdm.rest}/fapi/v1/ping`);
      expect(limited.status).toBe(429);
      expect(await limited.json()).toMatchObject({ code: -1003 });
      expect((await fetch(`${binanceusdm.rest}/fapi/v1/ping`)).status).toBe(200);
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

describe('perpetua sim --scenario', () => {
  it('plays the scenario file from the start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpetua-scenario-'));
    const file = join(dir, 'outage.yaml');
    writeFileSync(file, 'name: outage\nsteps:\n  - atMs: 0\n    fault: { kind: http_error, venue: bybit, status: 503, count: 1 }\n');
    const sim = await spawnUntilReady(['sim', '--scenario', file], SimReady);
    try {
      const bybit = sim.ready.venues['bybit'];
      if (bybit?.protocol !== 'bybit') throw new Error('no bybit');
      const first = await fetch(`${bybit.rest}/v5/market/time`);
      expect(first.status).toBe(503);
      expect((await fetch(`${bybit.rest}/v5/market/time`)).status).toBe(200);
    } finally {
      expect(await sim.stop('SIGTERM')).toBe(0);
    }
  });

  it('a bad scenario file exits 2 with one line naming the step and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpetua-scenario-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'steps:\n  - atMs: 0\n    fault: { kind: ws_delay, venue: bybit, ms: -5 }\n');
    const r = await runCli(['sim', '--scenario', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/steps\.0.*ms/);
    writeFileSync(file, 'steps:\n  - atMs: 0\n    fault: { kind: http_error, venue: kraken, status: 503 }\n');
    const unknown = await runCli(['sim', '--scenario', file]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('kraken');
  });
});

describe('perpetua sim admin /ready', () => {
  it('serves the ready descriptor, so services can find the venues from the admin URL alone', async () => {
    const sim = await spawnUntilReady(['sim', '--seed', '3'], SimReady);
    try {
      const res = await fetch(`${sim.ready.admin}/ready`);
      expect(SimReady.parse(await res.json())).toEqual(sim.ready);
    } finally {
      expect(await sim.stop('SIGTERM')).toBe(0);
    }
  });
});
