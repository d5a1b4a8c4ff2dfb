/** One sampled change of the mid: `dMid` in price units over `dtSec` seconds of event time. */
export interface MidReturn {
  dMid: number;
  dtSec: number;
}

/**
 * Samples the mid at most once per interval of event time and emits the change
 * since the previous sample. A quiet feed gives one return over the whole gap
 * (so the variance per second stays unbiased); time never goes backwards.
 */
export class MidReturnSampler {
  private lastTs: number | undefined;
  private lastMid = 0;

  constructor(private readonly intervalMs: number) {
    if (!(intervalMs > 0)) throw new Error(`sample interval must be > 0 ms, got ${intervalMs}`);
  }

  /** The return completed by this observation, if a sample is due. */
  observe(ts: number, mid: number): MidReturn | undefined {
    if (!(mid > 0) || !Number.isFinite(mid) || !Number.isFinite(ts)) return undefined;
    if (this.lastTs === undefined) {
      this.lastTs = ts;
      this.lastMid = mid;
      return undefined;
    }
    if (ts - this.lastTs < this.intervalMs) return undefined;
    const r = { dMid: mid - this.lastMid, dtSec: (ts - this.lastTs) / 1000 };
    this.lastTs = ts;
    this.lastMid = mid;
    return r;
  }

  get mid(): number | undefined {
    return this.lastTs === undefined ? undefined : this.lastMid;
  }
}
