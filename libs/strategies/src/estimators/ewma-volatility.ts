import type { VolatilityEstimator } from './volatility-estimator.js';
import { MidReturnSampler } from './mid-return-sampler.js';

export interface EwmaVolatilityOptions {
  /** Seconds between samples of the mid (event time). */
  sampleIntervalSec: number;
  /** Span N in samples: each new sample weighs 2/(N+1), as a pandas `ewm(span=N)`. */
  span: number;
  /** Samples before σ is reported. */
  minSamples: number;
}

/**
 * Exponentially weighted variance rate: σ² = EWMA(Δmid²) / EWMA(Δt), the two
 * averages with the same weights, so a sample over a longer gap counts for its
 * length. O(1) memory.
 */
export class EwmaVolatility implements VolatilityEstimator {
  private readonly sampler: MidReturnSampler;
  private readonly decay: number;
  private sumSq = 0;
  private sumDt = 0;
  private n = 0;

  constructor(private readonly opts: EwmaVolatilityOptions) {
    if (!(opts.span >= 1)) throw new Error(`EWMA span must be >= 1, got ${opts.span}`);
    this.sampler = new MidReturnSampler(opts.sampleIntervalSec * 1000);
    this.decay = 1 - 2 / (opts.span + 1);
  }

  update(ts: number, mid: number): void {
    const r = this.sampler.observe(ts, mid);
    if (!r) return;
    this.sumSq = this.decay * this.sumSq + r.dMid * r.dMid;
    this.sumDt = this.decay * this.sumDt + r.dtSec;
    this.n++;
  }

  sigma(): number | undefined {
    if (!this.ready() || !(this.sumDt > 0)) return undefined;
    return Math.sqrt(this.sumSq / this.sumDt);
  }

  samples(): number {
    return this.n;
  }

  ready(): boolean {
    return this.n >= this.opts.minSamples;
  }
}
