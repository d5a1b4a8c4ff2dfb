import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/faults/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

/** Venue dialects: set from startSimulator's options or a scenario's `dialects:`, read and switched on the admin API. */
describe('simulator dialects', () => {
  const sims: RunningSimulator[] = [];
  afterAll(async () => {
    for (const s of sims) await s.close();
  });

  it('a scenario file carries dialects by venue (validated by the venue\'s schema, defaults filled)', () => {
    const s = parseScenario('name: quirks\ndialects:\n  grvt: { jsonrpc: "", sequence: per_stream }\n');
    expect(s.steps).toEqual([]);
    expect(s.dialects?.grvt).toMatchObject({ jsonrpc: '', sequence: 'per_stream' });
    expect(() => parseScenario('dialects:\n  grvt: { sequence: per_planet }\n')).toThrow(/dialects\.grvt\.sequence/);
    expect(() => parseScenario('dialects:\n  mars: {}\n')).toThrow(/mars/);
  });

  it('GET /dialects shows them; PUT /dialects/grvt switches (400 naming the field or a venue without one)', async () => {
    const scenario = parseScenario('dialects:\n  grvt: { ack: string }\n');
    const sim = await startSimulator({ venues: ['grvt', 'binanceusdm'], scenario, dialects: { grvt: { ack: 'string', jsonrpc: '' } } });
    sims.push(sim);
    const admin = sim.ready.admin!;
    expect(await (await fetch(`${admin}/dialects`)).json()).toEqual({ dialects: { grvt: expect.objectContaining({ ack: 'string', jsonrpc: '', sequence: 'per_instrument' }) } });

    const put = (venue: string, body: unknown): Promise<Response> =>
      fetch(`${admin}/dialects/${venue}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const ok = await put('grvt', { tradeBacklog: true });
    expect(ok.status).toBe(200);
    // A PUT states the whole dialect: switches it does not name go back to their defaults.
    expect(await ok.json()).toMatchObject({ venue: 'grvt', dialect: { tradeBacklog: true, ack: 'boolean', jsonrpc: '2.0' } });
    const bad = await put('grvt', { sequence: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/sequence/);
    expect((await put('grvt', { colour: 'blue' })).status).toBe(400);
    expect((await put('binanceusdm', {})).status).toBe(400);
    expect(await (await fetch(`${admin}/dialects`)).json()).toEqual({ dialects: { grvt: expect.objectContaining({ tradeBacklog: true }) } });
    // The simulator's own handle (what tests use) agrees with the admin API.
    expect(sim.dialects.all()).toEqual({ grvt: expect.objectContaining({ tradeBacklog: true }) });
  });
});
