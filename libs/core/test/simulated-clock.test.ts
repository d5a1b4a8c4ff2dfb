import { describe, expect, it } from 'vitest';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { SimulatedClock, WallClock, type TimerEvent } from '../src/clock/index.js';

describe('SimulatedClock', () => {
  it('returns the timers due on the way, in time order, each fired at its own time', () => {
    const clock = new SimulatedClock(1_000);
    const seen: string[] = [];
    clock.setTimer('fast', 100, (e) => seen.push(`${e.name}@${e.ts}/${clock.now()}`));
    clock.setTimer('slow', 250, (e) => seen.push(`${e.name}@${e.ts}/${clock.now()}`));
    const due = clock.advanceTo(1_300);
    expect(due.map((d) => `${d.name}@${d.ts}`)).toEqual(['fast@1100', 'fast@1200', 'slow@1250', 'fast@1300']);
    expect(clock.now()).toBe(1_300);
    for (const d of due) d.fire();
    expect(seen).toEqual(['fast@1100/1100', 'fast@1200/1200', 'slow@1250/1250', 'fast@1300/1300']);
    expect(clock.now()).toBe(1_300);
  });

  it('breaks a tie between timers by registration order', () => {
    const clock = new SimulatedClock(0);
    clock.setTimer('b', 100, () => {});
    clock.setTimer('a', 100, () => {});
    expect(clock.advanceTo(100).map((d) => d.name)).toEqual(['b', 'a']);
  });

  it('refuses to go backwards, and stays where it was', () => {
    const clock = new SimulatedClock(500);
    clock.advanceTo(600);
    expect(() => clock.advanceTo(599)).toThrow(/does not go backwards/);
    expect(clock.now()).toBe(600);
    expect(clock.advanceTo(600)).toEqual([]);
  });

  it('cancels a timer, and replaces one set again under the same name', () => {
    const clock = new SimulatedClock(0);
    clock.setTimer('t', 100, () => {});
    clock.cancelTimer('t');
    expect(clock.advanceTo(1_000)).toEqual([]);
    clock.setTimer('t', 100, () => {});
    clock.setTimer('t', 300, () => {});
    expect(clock.advanceTo(1_600).map((d) => d.ts)).toEqual([1_300, 1_600]);
    clock.cancelAll();
    expect(clock.advanceTo(5_000)).toEqual([]);
  });

  it('tie-break: timers before the data, then the data, then the timers at its timestamp', async () => {
    const clock = new SimulatedClock(0);
    const order: string[] = [];
    clock.setTimer('tick', 100, (e: TimerEvent) => order.push(`timer@${e.ts}`));
    await clock.deliver(200, () => void order.push(`data@${clock.now()}`));
    await clock.deliver(250, async () => {
      await Promise.resolve();
      order.push(`data@${clock.now()}`);
    });
    expect(order).toEqual(['timer@100', 'data@200', 'timer@200', 'data@250']);
    await expect(clock.deliver(249, () => {})).rejects.toThrow(/backwards/);
  });

  it('rejects a non-positive interval', () => {
    expect(() => new SimulatedClock(0).setTimer('x', 0, () => {})).toThrow(RangeError);
    expect(() => new WallClock().setTimer('x', -1, () => {})).toThrow(RangeError);
  });
});

describe('WallClock', () => {
  it('reads the wall time and fires its timers until cancelled', async () => {
    const clock = new WallClock();
    const before = Date.now();
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    const ticks: number[] = [];
    clock.setTimer('t', 10, (e) => ticks.push(e.ts));
    await waitUntil(() => ticks.length >= 2, 5_000, 'two ticks of a 10 ms timer');
    clock.cancelAll();
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    const n = ticks.length;
    // Five periods of the cancelled timer: a tick in any of them is a timer that still fires.
    await holdsFor(() => ticks.length === n, 50, 'no tick after cancelAll');
    expect(ticks.length).toBe(n);
  });
});
