import type { Clock, TimerEvent, TimerHandler } from './clock.js';

/** A timer that fell due while the clock advanced: fire() runs its handler with the clock at the timer's time. */
export interface DueTimer extends TimerEvent {
  fire(): void;
}

interface Timer {
  name: string;
  intervalMs: number;
  next: number;
  handler: TimerHandler;
  /** Registration order: breaks ties between timers due at the same instant. */
  order: number;
}

/**
 * The clock a replay drives: time moves only when advanceTo (or deliver) is
 * called, never on its own and never backwards. Timers due on the way are
 * returned in time order (ties: the timer registered first), each fired with
 * the clock set to its own due time.
 *
 * The one tie-break rule between a timer and data at the same timestamp lives
 * in deliver(): timers due strictly before the data fire first, then the data,
 * then the timers due at exactly its timestamp. So a timer at t sees every
 * event stamped t (a 1 s stats sample at t includes the fill at t), and a
 * handler never sees data from its own future.
 */
export class SimulatedClock implements Clock {
  private time: number;
  private readonly timers = new Map<string, Timer>();
  private registrations = 0;

  constructor(start: number) {
    if (!Number.isFinite(start)) throw new RangeError(`clock start must be a finite time, got ${start}`);
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(name: string, intervalMs: number, handler: TimerHandler): void {
    if (!(intervalMs > 0)) throw new RangeError(`timer ${name}: interval must be positive, got ${intervalMs}`);
    this.timers.set(name, { name, intervalMs, next: this.time + intervalMs, handler, order: this.registrations++ });
  }

  cancelTimer(name: string): void {
    this.timers.delete(name);
  }

  cancelAll(): void {
    this.timers.clear();
  }

  /**
   * Moves time to ts and returns the timers due at or before it, in order. Each
   * is taken off (and a repeating one rescheduled) as it is returned; fire() sets
   * the clock to the timer's time while its handler runs. Throws on a step back.
   * A timer set inside a handler counts from that handler's time.
   */
  advanceTo(ts: number): DueTimer[] {
    return this.collect(ts, true);
  }

  /**
   * Delivers data stamped ts: fires the timers due strictly before ts, sets the
   * clock to ts, runs deliver (awaited: data may travel through a bus), then
   * fires the timers due at exactly ts. `settle` (also awaited) runs after each
   * timer, so what a timer sets off lands before the next thing happens.
   */
  async deliver(ts: number, deliver: () => void | Promise<void>, settle?: () => void | Promise<void>): Promise<void> {
    for (const t of this.collect(ts, false)) {
      t.fire();
      await settle?.();
    }
    await deliver();
    for (const t of this.collect(ts, true)) {
      t.fire();
      await settle?.();
    }
  }

  private collect(ts: number, inclusive: boolean): DueTimer[] {
    if (!Number.isFinite(ts)) throw new RangeError(`cannot advance to ${ts}`);
    if (ts < this.time) throw new RangeError(`the clock does not go backwards: now ${this.time}, asked for ${ts}`);
    const due: DueTimer[] = [];
    for (;;) {
      let first: Timer | undefined;
      for (const t of this.timers.values()) {
        if ((inclusive ? t.next <= ts : t.next < ts) && (!first || t.next < first.next || (t.next === first.next && t.order < first.order))) first = t;
      }
      if (!first) break;
      const at = first.next;
      const timer = first;
      timer.next += timer.intervalMs;
      due.push({
        name: timer.name,
        ts: at,
        fire: () => {
          // The handler sees the clock at its own due time; afterwards time is where advanceTo left it.
          const after = this.time;
          this.time = at;
          try {
            timer.handler({ name: timer.name, ts: at });
          } finally {
            this.time = after;
          }
        },
      });
    }
    this.time = ts;
    return due;
  }
}
