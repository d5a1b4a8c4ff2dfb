import type { VolatilityEstimator } from './volatility-estimator.js';
import { MidReturnSampler, type MidReturn } from './mid-return-sampler.js';
import { RingBuffer } from './ring-buffer.js';

export interface WindowVolatilityOptions {
  sampleIntervalSec: number;
  /** The last N samples, equally weighted. */
  window: number;
  minSamples: number;
}

/** Fixed-window variance rate: σ² = Σ Δmid² / Σ Δt over the last N samples (a ring). */
export class WindowVolatility implements VolatilityEstimator {
  private readonly sampler: MidReturnSampler;
  private readonly ring: RingBuffer<MidReturn>;

  constructor(private readonly opts: WindowVolatilityOptions) {
    this.sampler = new MidReturnSampler(opts.sampleIntervalSec * 1000);
    this.ring = new RingBuffer(opts.window);
  }

  update(ts: number, mid: number): void {
    const r = this.sampler.observe(ts, mid);
    if (r) this.ring.push(r);
  }

  sigma(): number | undefined {
    if (!this.ready()) return undefined;
    // Summed afresh each time (N is small) so no running-sum drift accumulates over weeks.
    let sq = 0;
    let dt = 0;
    for (const r of this.ring) {
      sq += r.dMid * r.dMid;
      dt += r.dtSec;
    }
    return dt > 0 ? Math.sqrt(sq / dt) : undefined;
  }

  samples(): number {
    return this.ring.size;
  }

  ready(): boolean {
    return this.ring.size >= this.opts.minSamples;
  }
}
