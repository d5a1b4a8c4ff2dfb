import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '@perpetua/core';
import { ReconcileScheduler, type ReconcileTrigger } from '../../src/reconcile/reconcile-scheduler.js';

/** A run the test finishes by hand, so overlaps and queueing are visible. */
function harness(intervalMs: number) {
  const clock = new SimulatedClock(1_000);
  const runs: ReconcileTrigger[] = [];
  const finishers: Array<() => void> = [];
  let running = 0;
  let overlapped = false;
  const scheduler = new ReconcileScheduler({
    clock,
    name: 'reconcile:test',
    intervalMs,
    run: (trigger) => {
      runs.push(trigger);
      running++;
      if (running > 1) overlapped = true;
      return new Promise<void>((resolve) =>
        finishers.push(() => {
          running--;
          resolve();
        }),
      );
    },
    onError: () => undefined,
  });
  const finishNext = async () => {
    finishers.shift()?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const tick = (ms: number) => {
    for (const t of clock.advanceTo(clock.now() + ms)) t.fire();
  };
  return { clock, scheduler, runs, finishNext, tick, overlapped: () => overlapped };
}

describe('reconcile scheduler', () => {
  it('nothing runs before start; the start run is the current one, then the timer runs every interval', async () => {
    const h = harness(1_000);
    void h.scheduler.request('reconnect');
    expect(h.runs).toEqual([]);
    let startDone!: () => void;
    h.scheduler.start(new Promise<void>((r) => (startDone = r)));
    h.tick(1_000); // due while the start run is under way: queued
    startDone();
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(h.runs).toEqual(['timer']);
    await h.finishNext();
    h.tick(1_000);
    expect(h.runs).toEqual(['timer', 'timer']);
    await h.finishNext();
    await h.scheduler.stop();
    h.tick(5_000);
    expect(h.runs).toEqual(['timer', 'timer']);
  });

  it('runs never overlap; triggers during a run become one more run, a reconnect outranking the timer', async () => {
    const h = harness(500);
    h.scheduler.start(Promise.resolve());
    await Promise.resolve();
    const first = h.scheduler.request('reconnect');
    expect(h.runs).toEqual(['reconnect']);
    h.tick(500);
    void h.scheduler.request('reconnect');
    h.tick(500);
    await h.finishNext();
    expect(h.runs).toEqual(['reconnect', 'reconnect']);
    await h.finishNext();
    await first; // resolves once the run begun after it has finished
    expect(h.overlapped()).toBe(false);
    h.tick(500);
    expect(h.runs).toEqual(['reconnect', 'reconnect', 'timer']);
    await h.finishNext();
    await h.scheduler.stop();
  });

  it('a failed run is reported and the next trigger still runs; no timer with interval 0', async () => {
    const clock = new SimulatedClock(0);
    const errors: string[] = [];
    let calls = 0;
    const s = new ReconcileScheduler({
      clock,
      name: 'r',
      intervalMs: 0,
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('venue down');
      },
      onError: (err, trigger) => errors.push(`${trigger}: ${(err as Error).message}`),
    });
    s.start(Promise.reject(new Error('start failed')));
    await s.request('reconnect');
    await s.request('reconnect');
    expect(errors).toEqual(['start: start failed', 'reconnect: venue down']);
    expect(calls).toBe(2);
    expect(clock.advanceTo(10_000_000)).toEqual([]);
    await s.stop();
  });
});
