/** A FaultClock tests advance by hand, so schedules run without waiting. */
import type { FaultClock } from '../../src/faults/index.js';

export class ManualClock implements FaultClock {
  private t: number;
  private readonly timers: Array<{ due: number; seq: number; fn: () => void }> = [];
  private seq = 0;

  constructor(start = 1_000_000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  schedule(ms: number, fn: () => void): () => void {
    const timer = { due: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      const i = this.timers.indexOf(timer);
      if (i >= 0) this.timers.splice(i, 1);
    };
  }

  /** Moves time forward, running due timers in time order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.timers.filter((x) => x.due <= end).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.t = next.due;
      next.fn();
    }
    this.t = end;
  }
}
