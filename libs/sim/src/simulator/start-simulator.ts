import { createSimWorld, type SimWorldImpl } from '../world.js';
import { FaultInjector, ScenarioRunner, SimFaultMetrics, startSimAdmin, type Scenario, type SimAdmin } from '../faults/index.js';
import { FACADE_STARTERS, type RunningFacade } from './facade-registry.js';
import type { SimReady } from './sim-ready.js';

export interface StartSimulatorOptions {
  seed?: number;
  /** Address every façade and the admin API bind (default 127.0.0.1). */
  host?: string;
  /** Wall-clock ms between world steps (default 100). */
  stepMs?: number;
  /** Venues to serve (default: every one with a façade). */
  venues?: string[];
  /** Timed faults to play from the start. */
  scenario?: Scenario;
  /** Serve the admin API (faults, /metrics); default true. */
  admin?: boolean;
  /** The admin API's port (default 0: any free port); fixed where other hosts must find it (containers). */
  adminPort?: number;
}

export interface RunningSimulator {
  world: SimWorldImpl;
  ready: SimReady;
  faults: FaultInjector;
  scenario: ScenarioRunner | undefined;
  close(): Promise<void>;
}

/**
 * The whole simulator: one world on the wall clock stepping on a timer, one
 * façade per venue on its own port, a fault injector on every façade's seam and
 * the admin API. Failing to start any part closes what was already started.
 */
export async function startSimulator(opts: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const seed = opts.seed ?? 1;
  const host = opts.host ?? '127.0.0.1';
  const stepMs = opts.stepMs ?? 100;
  const venues = opts.venues ?? Object.keys(FACADE_STARTERS);
  for (const v of venues) if (!FACADE_STARTERS[v]) throw new Error(`no façade for venue "${v}"; the simulator serves ${Object.keys(FACADE_STARTERS).join(', ')}`);
  const world = createSimWorld({ seed, clock: 'wall', stepMs, venues });
  const faults = new FaultInjector({ world, metrics: new SimFaultMetrics() });
  const facades: RunningFacade[] = [];
  let admin: SimAdmin | undefined;
  let ready: SimReady | undefined;
  let scenario: ScenarioRunner | undefined;
  const closeAll = async () => {
    scenario?.stop();
    world.stop();
    faults.close();
    await admin?.close();
    await Promise.allSettled(facades.map((f) => f.close()));
  };
  try {
    for (const v of venues) {
      const f = await FACADE_STARTERS[v]!(world, host);
      facades.push(f);
      f.attachFaults(faults);
    }
    if (opts.admin !== false) admin = await startSimAdmin({ injector: faults, world, registry: faults.metrics.registry, host, port: opts.adminPort ?? 0, ready: () => ready });
  } catch (err) {
    await closeAll();
    throw err;
  }
  world.start(stepMs);
  if (opts.scenario) {
    scenario = new ScenarioRunner(faults, opts.scenario);
    scenario.start();
  }
  ready = {
    event: 'ready',
    seed,
    ...(admin ? { admin: admin.url } : {}),
    venues: Object.fromEntries(facades.map((f) => [f.venue, f.descriptor])),
  };
  return { world, ready, faults, scenario, close: closeAll };
}
