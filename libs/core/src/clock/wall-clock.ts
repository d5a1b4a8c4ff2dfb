import type { Clock, TimerHandler } from './clock.js';

/** The live clock: the process's wall time and Node timers (unref'd, so a timer never keeps a process alive). */
export class WallClock implements Clock {
  private readonly timers = new Map<string, ReturnType<typeof setInterval>>();

  now(): number {
    return Date.now();
  }

  setTimer(name: string, intervalMs: number, handler: TimerHandler): void {
    if (!(intervalMs > 0)) throw new RangeError(`timer ${name}: interval must be positive, got ${intervalMs}`);
    this.cancelTimer(name);
    const t = setInterval(() => handler({ name, ts: Date.now() }), intervalMs);
    (t as { unref?: () => void }).unref?.();
    this.timers.set(name, t);
  }

  cancelTimer(name: string): void {
    const t = this.timers.get(name);
    if (t) clearInterval(t);
    this.timers.delete(name);
  }

  cancelAll(): void {
    for (const name of [...this.timers.keys()]) this.cancelTimer(name);
  }
}
