import { createSimWorld, type SimWorldImpl } from '../world.js';
import { FaultInjector, ScenarioRunner, SimFaultMetrics, startSimAdmin, type Scenario, type SimAdmin } from '../faults/index.js';
import { FACADE_STARTERS, type RunningFacade } from './facade-registry.js';
import type { SimReady } from './sim-ready.js';
import type { IpConnectionStats } from '../facades/standx/index.js';
import { DialectError, parseDialect, type DialectControl, type DialectInputs } from './dialects.js';

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
  /** Dialect per venue (simulator/dialects.ts); wins over the scenario's `dialects:` for the same venue. */
  dialects?: DialectInputs;
  /** The admin API's port (default 0: any free port); fixed where other hosts must find it (containers). */
  adminPort?: number;
  /** Every venue's funding interval in ms instead of its own (tests: a few funding times in seconds). */
  fundingIntervalMs?: number;
}

export interface RunningSimulator {
  world: SimWorldImpl;
  ready: SimReady;
  faults: FaultInjector;
  scenario: ScenarioRunner | undefined;
  /** Read and switch the venues' dialects at run time (the admin API's /dialects). */
  dialects: DialectControl;
  /** WebSocket connections per client IP on a venue whose façade counts them (StandX), else undefined. */
  connectionStats(venue: string): Record<string, IpConnectionStats> | undefined;
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
  // Checked before anything starts: a bad dialect is a clear error, not a half-started simulator.
  const wanted: Record<string, unknown> = {};
  for (const [venue, input] of Object.entries({ ...opts.scenario?.dialects, ...opts.dialects })) {
    if (input !== undefined) wanted[venue] = parseDialect(venue, input);
  }
  const fundingIntervalMs = opts.fundingIntervalMs;
  if (fundingIntervalMs !== undefined && !(Number.isInteger(fundingIntervalMs) && fundingIntervalMs > 0)) throw new Error(`fundingIntervalMs must be a positive integer, got ${fundingIntervalMs}`);
  const world = createSimWorld({ seed, clock: 'wall', stepMs, venues: fundingIntervalMs === undefined ? venues : venues.map((name) => ({ name, fundingIntervalMs })) });
  const faults = new FaultInjector({ world, metrics: new SimFaultMetrics() });
  const facades: RunningFacade[] = [];
  let admin: SimAdmin | undefined;
  let ready: SimReady | undefined;
  let scenario: ScenarioRunner | undefined;
  const dialects: DialectControl = {
    all: () => Object.fromEntries(facades.flatMap((f) => (f.dialect ? [[f.venue, f.dialect.get()]] : []))),
    set: (venue, input) => {
      const parsed = parseDialect(venue, input);
      const f = facades.find((x) => x.venue === venue);
      if (!f?.dialect) throw new DialectError(`the simulator does not serve ${venue}`);
      return f.dialect.set(parsed);
    },
  };
  const closeAll = async () => {
    scenario?.stop();
    world.stop();
    faults.close();
    await admin?.close();
    await Promise.allSettled(facades.map((f) => f.close()));
  };
  try {
    for (const v of venues) {
      const f = await FACADE_STARTERS[v]!(world, host, v in wanted ? { dialect: wanted[v] } : {});
      facades.push(f);
      f.attachFaults(faults);
    }
    if (opts.admin !== false) admin = await startSimAdmin({ injector: faults, world, registry: faults.metrics.registry, host, port: opts.adminPort ?? 0, ready: () => ready, dialects });
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
  const connectionStats = (venue: string) => facades.find((f) => f.venue === venue)?.connectionStats?.();
  return { world, ready, faults, scenario, dialects, connectionStats, close: closeAll };
}
