import type { Clock, RouterReconcileReport } from '@perpetua/core';

export type ReconcileTrigger = RouterReconcileReport['trigger'];

export interface ReconcileSchedulerOptions {
  clock: Clock;
  /** Timer name on the clock (one per router: several routers may share a clock). */
  name: string;
  /** Every this often a run is due; 0 = no timer (runs only on start and reconnects). */
  intervalMs: number;
  run(trigger: ReconcileTrigger): Promise<void>;
  onError(err: unknown, trigger: ReconcileTrigger): void;
}

/**
 * When a router reconciles: on start, after every private-stream reconnect and on a timer. Runs never overlap:
 * a trigger during a run is kept (one at most, a reconnect outranking the timer) and run right after it, so a
 * reconnect landing mid-run still gets a run that started after it.
 */
export class ReconcileScheduler {
  private current: Promise<void> | undefined;
  private queued: ReconcileTrigger | undefined;
  private started = false;
  private stopped = false;

  constructor(private readonly o: ReconcileSchedulerOptions) {}

  /** Takes the start run (already under way) as the current one and arms the timer. */
  start(startRun: Promise<void>): void {
    this.started = true;
    this.current = this.loop('start', startRun);
    if (this.o.intervalMs > 0) this.o.clock.setTimer(this.o.name, this.o.intervalMs, () => void this.request('timer'));
  }

  /** Asks for a run; resolves when a run begun after this call has finished. Before start, ignored: the start run comes after it. */
  request(trigger: ReconcileTrigger): Promise<void> {
    if (this.stopped || !this.started) return Promise.resolve();
    if (!this.current) return (this.current = this.loop(trigger));
    if (this.queued === undefined || rank(trigger) > rank(this.queued)) this.queued = trigger;
    return this.current;
  }

  /** No more runs; waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queued = undefined;
    this.o.clock.cancelTimer(this.o.name);
    await this.current;
  }

  private async loop(first: ReconcileTrigger, underWay?: Promise<void>): Promise<void> {
    let trigger: ReconcileTrigger | undefined = first;
    let run = underWay;
    while (trigger !== undefined && !this.stopped) {
      try {
        await (run ?? this.o.run(trigger));
      } catch (err) {
        this.o.onError(err, trigger);
      }
      run = undefined;
      trigger = this.queued;
      this.queued = undefined;
    }
    this.current = undefined;
  }
}

function rank(t: ReconcileTrigger): number {
  return t === 'timer' ? 0 : 1;
}
