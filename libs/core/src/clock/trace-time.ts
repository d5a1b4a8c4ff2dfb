/**
 * Wall time at sub-millisecond resolution, for hop stamps in a message's `trace` only: latency
 * telemetry, never a decision (logic reads its Clock, so a replay decides the same). Stamps taken in
 * one process compare exactly; across processes they agree to within the start-up reading of the
 * system clock, which is why cross-process figures in the benchmark keep their own baseline.
 */
export function traceTimeMs(): number {
  return performance.timeOrigin + performance.now();
}
