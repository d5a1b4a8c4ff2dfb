import { createSimWorld, type SimWorldImpl } from '../world.js';
import { FACADE_STARTERS, type RunningFacade } from './facade-registry.js';
import type { SimReady } from './sim-ready.js';

export interface StartSimulatorOptions {
  seed?: number;
  /** Address every façade binds (default 127.0.0.1). */
  host?: string;
  /** Wall-clock ms between world steps (default 100). */
  stepMs?: number;
  /** Venues to serve (default: every one with a façade). */
  venues?: string[];
}

export interface RunningSimulator {
  world: SimWorldImpl;
  ready: SimReady;
  close(): Promise<void>;
}

/**
 * The whole simulator: one world on the wall clock, stepping on a timer, and one
 * façade per venue on its own loopback port. Failing to start any façade closes
 * the ones already started.
 */
export async function startSimulator(opts: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const seed = opts.seed ?? 1;
  const host = opts.host ?? '127.0.0.1';
  const stepMs = opts.stepMs ?? 100;
  const venues = opts.venues ?? Object.keys(FACADE_STARTERS);
  for (const v of venues) if (!FACADE_STARTERS[v]) throw new Error(`no façade for venue "${v}"; the simulator serves ${Object.keys(FACADE_STARTERS).join(', ')}`);
  const world = createSimWorld({ seed, clock: 'wall', stepMs, venues });
  const facades: RunningFacade[] = [];
  const closeAll = async () => {
    world.stop();
    await Promise.allSettled(facades.map((f) => f.close()));
  };
  try {
    for (const v of venues) facades.push(await FACADE_STARTERS[v]!(world, host));
  } catch (err) {
    await closeAll();
    throw err;
  }
  world.start(stepMs);
  const ready: SimReady = { event: 'ready', seed, venues: Object.fromEntries(facades.map((f) => [f.venue, f.descriptor])) };
  return { world, ready, close: closeAll };
}
