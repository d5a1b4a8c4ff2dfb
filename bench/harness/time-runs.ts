/**
 * Times `run` once to warm up and then `repetitions` times, each after an
 * untimed `setup`, and returns the durations in seconds.
 */
export function timeRuns(repetitions: number, setup: () => void, run: () => void): number[] {
  const out: number[] = [];
  for (let r = 0; r <= repetitions; r++) {
    setup();
    const t0 = process.hrtime.bigint();
    run();
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r > 0) out.push(dt);
  }
  return out;
}
