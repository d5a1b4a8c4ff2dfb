/**
 * The volatility pause: the mid is sampled once a second (the last mid seen in
 * each second), the volatility is the standard deviation of the 1 s log
 * returns over a trailing window, in bps; above `pauseAbove` the strategy
 * pulls its quotes, and only below `resumeBelow` does it quote again
 * (hysteresis, so it does not flicker at the threshold). Bounded: one number
 * per second of the window.
 */
export class VolatilityPause {
  private readonly returns: number[] = [];
  private second = -1;
  private lastMid = 0;
  private sampledMid = 0;
  private paused = false;
  private pausedSince: number | undefined;
  private pausedMs = 0;

  constructor(
    private readonly pauseAbove: number | undefined,
    private readonly resumeBelow: number | undefined,
    private readonly windowSec: number,
  ) {}

  /** A mid seen at ts (ms). */
  observe(ts: number, mid: number): void {
    if (!(mid > 0)) return;
    const sec = Math.floor(ts / 1000);
    if (this.second === -1) {
      this.second = sec;
      this.sampledMid = mid;
    } else if (sec > this.second) {
      // Close the seconds passed: the first carries the return, silent ones a zero.
      this.push(Math.log(this.lastMid / this.sampledMid) * 10_000);
      for (let s = this.second + 1; s < sec && s < this.second + this.windowSec; s++) this.push(0);
      this.second = sec;
      this.sampledMid = this.lastMid;
    }
    this.lastMid = mid;
  }

  /** Current volatility, bps per √s; undefined until two samples exist. */
  volatilityBps(): number | undefined {
    const n = this.returns.length;
    if (n < 2) return undefined;
    let mean = 0;
    for (const r of this.returns) mean += r;
    mean /= n;
    let v = 0;
    for (const r of this.returns) v += (r - mean) ** 2;
    return Math.sqrt(v / (n - 1));
  }

  /** Re-judges the pause at ts; true while paused. */
  update(ts: number): boolean {
    if (this.pauseAbove === undefined) return false;
    const vol = this.volatilityBps();
    const resume = this.resumeBelow ?? this.pauseAbove;
    if (!this.paused && vol !== undefined && vol > this.pauseAbove) {
      this.paused = true;
      this.pausedSince = ts;
    } else if (this.paused && vol !== undefined && vol < resume) {
      this.pausedMs += ts - (this.pausedSince ?? ts);
      this.paused = false;
      this.pausedSince = undefined;
    }
    return this.paused;
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** Time spent paused up to ts, ms. */
  pausedTotalMs(ts: number): number {
    return this.pausedMs + (this.paused && this.pausedSince !== undefined ? Math.max(0, ts - this.pausedSince) : 0);
  }

  private push(r: number): void {
    this.returns.push(r);
    if (this.returns.length > this.windowSec) this.returns.shift();
  }
}
