import { seededRandom } from '@perpetua/core';

/**
 * How late our messages are, in milliseconds: `entry` from our decision to the
 * order reaching the matching engine, `cancel` the same for a cancel, and
 * `response` from the engine back to us (acks and fills). Feed latency is not
 * here: it is in the recording (venue time vs our receive time).
 */
export interface LatencyModel {
  entry(): number;
  cancel(): number;
  response(): number;
}

export interface ConstantLatencyOptions {
  entryMs: number;
  cancelMs?: number;
  responseMs?: number;
}

export function constantLatency(opts: ConstantLatencyOptions): LatencyModel {
  const entry = nonNegative(opts.entryMs, 'entryMs');
  const cancel = nonNegative(opts.cancelMs ?? opts.entryMs, 'cancelMs');
  const response = nonNegative(opts.responseMs ?? opts.entryMs, 'responseMs');
  return { entry: () => entry, cancel: () => cancel, response: () => response };
}

export const zeroLatency: LatencyModel = constantLatency({ entryMs: 0 });

export interface SampledLatencyOptions {
  /** Measured one-way latencies (e.g. router.sent − quoter.recv from the router's order traces), in ms. */
  entrySamplesMs: readonly number[];
  cancelSamplesMs?: readonly number[];
  responseSamplesMs?: readonly number[];
  seed: number;
}

/** Draws each latency from measured samples with a seeded generator (the empirical distribution). */
export function sampledLatency(opts: SampledLatencyOptions): LatencyModel {
  const rand = seededRandom(opts.seed);
  const draw = (samples: readonly number[], name: string): (() => number) => {
    if (samples.length === 0) throw new RangeError(`${name}: no samples`);
    for (const s of samples) nonNegative(s, name);
    const copy = [...samples];
    return () => copy[Math.floor(rand() * copy.length)]!;
  };
  const entry = draw(opts.entrySamplesMs, 'entrySamplesMs');
  return {
    entry,
    cancel: opts.cancelSamplesMs ? draw(opts.cancelSamplesMs, 'cancelSamplesMs') : entry,
    response: opts.responseSamplesMs ? draw(opts.responseSamplesMs, 'responseSamplesMs') : entry,
  };
}

export interface LognormalLatencyOptions {
  medianMs: number;
  /** Standard deviation of ln(latency); 0.5 gives a p99 about 3.2× the median. */
  sigma: number;
  seed: number;
}

/** Log-normal latency, the usual shape of network round trips (a floor plus a long right tail). */
export function lognormalLatency(opts: LognormalLatencyOptions): LatencyModel {
  nonNegative(opts.medianMs, 'medianMs');
  nonNegative(opts.sigma, 'sigma');
  const rand = seededRandom(opts.seed);
  const draw = () => {
    const u = Math.max(rand(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    return opts.medianMs * Math.exp(opts.sigma * z);
  };
  return { entry: draw, cancel: draw, response: draw };
}

function nonNegative(v: number, name: string): number {
  if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${name} must be a finite number >= 0, got ${v}`);
  return v;
}
