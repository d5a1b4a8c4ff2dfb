/**
 * Time as the fault module sees it: when a fault started, when it retires, when a scenario step is due and how long a
 * delayed message waits. Injectable so tests can drive schedules without waiting.
 */
export interface FaultClock {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  schedule(ms: number, fn: () => void): () => void;
}

export const systemClock: FaultClock = {
  now: () => Date.now(),
  schedule(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    // A pending fault expiry or scenario step must not keep a process alive on its own.
    t.unref();
    return () => clearTimeout(t);
  },
};
