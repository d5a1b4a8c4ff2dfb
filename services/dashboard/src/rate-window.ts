/** Events per second over the last `seconds` whole seconds, in fixed memory (one counter per second). */
export class RateWindow {
  private readonly buckets: number[];
  private readonly stamps: number[];

  constructor(private readonly seconds = 10) {
    this.buckets = new Array<number>(seconds).fill(0);
    this.stamps = new Array<number>(seconds).fill(-1);
  }

  add(nowMs: number, n = 1): void {
    const sec = Math.floor(nowMs / 1000);
    const i = sec % this.seconds;
    if (this.stamps[i] !== sec) {
      this.stamps[i] = sec;
      this.buckets[i] = 0;
    }
    this.buckets[i] = (this.buckets[i] ?? 0) + n;
  }

  /** Mean rate over the last full seconds (the current, partial second excluded). */
  perSecond(nowMs: number): number {
    const sec = Math.floor(nowMs / 1000);
    let total = 0;
    for (let k = 1; k < this.seconds; k++) {
      const s = sec - k;
      const i = ((s % this.seconds) + this.seconds) % this.seconds;
      if (this.stamps[i] === s) total += this.buckets[i] ?? 0;
    }
    return total / (this.seconds - 1);
  }
}
