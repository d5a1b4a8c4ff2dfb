import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BinanceFacade, startBinanceFacade } from '../../src/facades/binance/index.js';
import { FaultInjector, type SimAdmin, startSimAdmin } from '../../src/faults/index.js';
import { type SimWorldImpl, createSimWorld } from '../../src/world.js';

/** The admin HTTP API end to end: a fault posted over HTTP reaches a façade's client. */

const PROMTOOL = '/usr/bin/promtool';

describe('sim admin API', () => {
  let world: SimWorldImpl;
  let facade: BinanceFacade;
  let injector: FaultInjector;
  let admin: SimAdmin;

  const post = (body: unknown): Promise<Response> =>
    fetch(`${admin.url}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    world = createSimWorld({ seed: 9, venues: ['binanceusdm'], assets: ['BTC'], background: false });
    facade = await startBinanceFacade({ world });
    injector = new FaultInjector({ world });
    injector.attachBinance(facade);
    admin = await startSimAdmin({ injector, world, registry: injector.metrics.registry, host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await admin?.close();
    injector?.close();
    await facade?.close();
  });

  it('GET /healthz reports the sim', async () => {
    const r = await fetch(`${admin.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok', seed: 9, venues: ['binanceusdm'], attached: ['binanceusdm'] });
  });

  it('POST /faults injects a fault the client sees; GET lists it; DELETE /faults/:id ends it', async () => {
    const created = await post({ kind: 'http_error', venue: 'binanceusdm', status: 503, path: '/fapi/v1/time' });
    expect(created.status).toBe(201);
    const fault = (await created.json()) as { id: string; spec: { kind: string } };
    expect(fault.spec.kind).toBe('http_error');

    expect((await fetch(`${facade.restUrl}/fapi/v1/time`)).status).toBe(503);
    const list = (await (await fetch(`${admin.url}/faults`)).json()) as { faults: Array<{ id: string; hits: number }> };
    expect(list.faults).toEqual([expect.objectContaining({ id: fault.id, hits: 1 })]);

    const del = await fetch(`${admin.url}/faults/${fault.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await fetch(`${facade.restUrl}/fapi/v1/time`)).status).toBe(200);
    expect((await fetch(`${admin.url}/faults/${fault.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('DELETE /faults ends them all', async () => {
    await post({ kind: 'ws_freeze', venue: 'binanceusdm' });
    await post({ kind: 'reject_orders', venue: 'binanceusdm' });
    const r = await fetch(`${admin.url}/faults`, { method: 'DELETE' });
    expect(await r.json()).toEqual({ removed: 2 });
    expect(injector.list()).toEqual([]);
  });

  it('400 names the bad field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ kind: 'http_error', venue: 'binanceusdm', status: 404 }, /status: status must be 429 or 500-599/],
      [{ kind: 'http_error', venue: 'binanceusdm', status: 429, probability: 2 }, /probability/],
      [{ kind: 'flood', venue: 'binanceusdm' }, /kind/],
      [{ kind: 'ws_delay', venue: 'binanceusdm' }, /ms/],
      [{ kind: 'ws_freeze', venue: 'binanceusdm', bogus: 1 }, /bogus/],
      [{ kind: 'http_error', venue: 'grvt', status: 429 }, /venue: no façade attached for grvt/],
    ];
    for (const [body, message] of cases) {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(message);
    }
    const notJson = await fetch(`${admin.url}/faults`, { method: 'POST', body: '{oops' });
    expect(notJson.status).toBe(400);
  });

  it('GET /metrics serves the fault metrics in a format promtool accepts', async () => {
    await post({ kind: 'ws_delay', venue: 'binanceusdm', ms: 5, id: 'slow' });
    const r = await fetch(`${admin.url}/metrics`);
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).toContain('# TYPE perpetua_sim_faults_injected_total counter');
    expect(text).toContain('perpetua_sim_faults_active{venue="binanceusdm",kind="ws_delay"} 1');
    expect(text).toContain('perpetua_sim_faults_injected_total{venue="binanceusdm",kind="http_error"} 1');
    if (existsSync(PROMTOOL)) {
      const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 10_000 });
      expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
      expect(check.status).toBe(0);
    }
    await fetch(`${admin.url}/faults/slow`, { method: 'DELETE' });
  });

  it('unknown routes are 404', async () => {
    expect((await fetch(`${admin.url}/nope`)).status).toBe(404);
  });
});
