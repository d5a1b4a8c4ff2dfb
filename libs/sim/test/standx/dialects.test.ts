import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_STANDX_DIALECT, parseScenario, startSimulator, type RunningSimulator } from '../../src/index.js';
import { FaultError } from '../../src/faults/fault-spec.js';

/** The dialect switch as a user reaches it: the scenario file, the admin API and startSimulator's options. */
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('StandX dialects: scenario file, admin API, start options', () => {
  it('a scenario sets a dialect per venue; a bad value names the field; a dialect-only scenario has no steps', () => {
    const s = parseScenario('dialects:\n  standx: { seq: per_channel, tradeIds: absent }\n');
    expect(s).toEqual({ name: undefined, dialects: { standx: { seq: 'per_channel', tradeIds: 'absent' } }, steps: [] });
    expect(() => parseScenario('dialects:\n  standx: { seq: sometimes }\nsteps: []\n')).toThrow(FaultError);
    expect(() => parseScenario('dialects:\n  standx: { seq: sometimes }\nsteps: []\n')).toThrow(/dialects\.standx\.seq/);
    expect(() => parseScenario('dialects:\n  nowhere: {}\nsteps: []\n')).toThrow(/nowhere/);
  });

  it('startSimulator applies the options over the scenario, and the admin API reads and switches it (400 with the reason)', async () => {
    sim = await startSimulator({
      venues: ['standx'],
      scenario: { steps: [], dialects: { standx: { seq: 'gaps', cancelOrdersReply: 'empty_array' } } },
      dialects: { standx: { seq: 'per_channel' } },
    });
    // Options win for the venue as a whole: the scenario's other fields do not leak in.
    expect(sim.dialects.all()).toEqual({ standx: { ...DEFAULT_STANDX_DIALECT, seq: 'per_channel' } });
    const admin = sim.ready.admin!;
    const got = await (await fetch(`${admin}/dialects`)).json();
    expect(got).toEqual({ dialects: { standx: { ...DEFAULT_STANDX_DIALECT, seq: 'per_channel' } } });

    const put = await fetch(`${admin}/dialects/standx`, { method: 'PUT', body: JSON.stringify({ rejections: 'order_ws_only', orderStatuses: 'extended' }) });
    expect(put.status).toBe(200);
    expect(sim.dialects.all()).toEqual({ standx: { ...DEFAULT_STANDX_DIALECT, rejections: 'order_ws_only', orderStatuses: 'extended' } });

    const bad = await fetch(`${admin}/dialects/standx`, { method: 'PUT', body: JSON.stringify({ seq: 'never' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/dialects\.standx\.seq/);
    const extra = await fetch(`${admin}/dialects/standx`, { method: 'PUT', body: JSON.stringify({ colour: 'blue' }) });
    expect(extra.status).toBe(400);
    const unknown = await fetch(`${admin}/dialects/binanceusdm`, { method: 'PUT', body: '{}' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/no dialects/);
    const notJson = await fetch(`${admin}/dialects/standx`, { method: 'PUT', body: 'seq=gaps' });
    expect(notJson.status).toBe(400);
    // A refused change leaves the dialect as it was.
    expect(sim.dialects.all()).toEqual({ standx: { ...DEFAULT_STANDX_DIALECT, rejections: 'order_ws_only', orderStatuses: 'extended' } });
  });

  it('refuses a bad dialect in the options before anything starts', async () => {
    await expect(startSimulator({ venues: ['standx'], dialects: { standx: { seq: 'x' } as never } })).rejects.toThrow(/dialects\.standx\.seq/);
  });
});
