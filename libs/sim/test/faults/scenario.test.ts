import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaultError, FaultInjector, ScenarioRunner, loadScenarioFile, parseScenario } from '../../src/faults/index.js';
import { createSimWorld } from '../../src/world.js';
import { ManualClock } from './manual-clock.js';

const SCENARIO = `
name: venue-trouble
steps:
  - atMs: 2000
    fault: { kind: halt_symbol, venue: binanceusdm, symbol: BTC-PERP, durationMs: 3000 }
  - atMs: 0
    fault: { kind: basis, venue: standx, asset: BTC, bps: 25 }
  - atMs: 4000
    fault: { kind: http_error, venue: binanceusdm, status: 429, count: 3 }
`;

describe('scenario files', () => {
  it('parses YAML, orders steps by time and validates each fault', () => {
    const s = parseScenario(SCENARIO);
    expect(s.name).toBe('venue-trouble');
    expect(s.steps.map((x) => x.atMs)).toEqual([0, 2000, 4000]);
    expect(parseScenario('- atMs: 5\n  fault: { kind: regime, asset: ETH, regime: stressed }\n').steps[0]?.fault).toEqual({
      kind: 'regime',
      venue: '*',
      asset: 'ETH',
      regime: 'stressed',
    });
  });

  it('names the bad step and field', () => {
    expect(() => parseScenario('- atMs: 0\n  fault: { kind: ws_delay, venue: standx, ms: -1 }\n')).toThrow(/steps\.0: fault\.ms/);
    expect(() => parseScenario('- atMs: -5\n  fault: { kind: ws_freeze, venue: standx }\n')).toThrow(/steps\.0: atMs/);
    expect(() => parseScenario('steps: [\n')).toThrow(FaultError);
  });

  it('loads a file from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-scenario-'));
    try {
      const file = join(dir, 'scenario.yaml');
      await writeFile(file, SCENARIO);
      expect((await loadScenarioFile(file)).steps).toHaveLength(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the runner injects each fault at its offset, and faults retire on the same clock', async () => {
    const world = createSimWorld({ seed: 1, venues: ['binanceusdm', 'standx'], assets: ['BTC'], background: false });
    const clock = new ManualClock();
    const injector = new FaultInjector({ world, clock });
    // No façade attached: the http_error step is refused and recorded, the others still run.
    const runner = new ScenarioRunner(injector, parseScenario(SCENARIO));
    const midBefore = world.venueMid('standx', 'BTC');
    runner.start();

    clock.advance(0);
    const base = world.venue('standx').config.basisBps;
    expect((world.venueMid('standx', 'BTC') / midBefore - 1) * 10_000).toBeCloseTo(25 - base, 0);
    expect(world.venue('binanceusdm').isHalted('BTC-PERP')).toBe(false);

    clock.advance(1_999);
    expect(world.venue('binanceusdm').isHalted('BTC-PERP')).toBe(false);
    clock.advance(1);
    expect(world.venue('binanceusdm').isHalted('BTC-PERP')).toBe(true);

    clock.advance(2_000);
    expect(runner.outcomes().map((o) => [o.at, o.ok])).toEqual([
      [0, true],
      [2000, true],
      [4000, false],
    ]);
    const failed = runner.outcomes()[2];
    expect(failed && !failed.ok ? failed.error : '').toMatch(/no façade attached for binanceusdm/);
    await runner.finished;

    clock.advance(1_000);
    expect(world.venue('binanceusdm').isHalted('BTC-PERP')).toBe(false); // 2000 + 3000
    expect(injector.list().map((f) => f.spec.kind)).toEqual(['basis']);
    injector.close();
    expect(world.venueMid('standx', 'BTC')).toBeCloseTo(midBefore, 6); // closing undoes world faults
  });

  it('stop() cancels steps not yet run', () => {
    const world = createSimWorld({ seed: 1, venues: ['binanceusdm'], assets: ['BTC'], background: false });
    const clock = new ManualClock();
    const injector = new FaultInjector({ world, clock });
    const runner = new ScenarioRunner(injector, parseScenario(SCENARIO), clock);
    runner.start();
    clock.advance(100);
    runner.stop();
    clock.advance(10_000);
    // The standx basis step fails (no such venue in this world); nothing after 100 ms ran.
    expect(runner.outcomes()).toHaveLength(1);
    injector.close();
  });
});
