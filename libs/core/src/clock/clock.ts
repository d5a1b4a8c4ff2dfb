/**
 * Time as the live code sees it. Logic never calls Date.now or setInterval:
 * it is handed a Clock, so a replay drives the same code with a SimulatedClock
 * and gets the same decisions.
 */
export interface TimerEvent {
  /** The timer's name, as given to setTimer. */
  name: string;
  /** When the timer was due (ms since the epoch): handlers read time from here, not from a later clock. */
  ts: number;
}

export type TimerHandler = (event: TimerEvent) => void;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * A repeating timer: first due at now() + intervalMs, then every intervalMs.
   * A second timer under the same name replaces the first.
   */
  setTimer(name: string, intervalMs: number, handler: TimerHandler): void;
  cancelTimer(name: string): void;
  /** Cancels every timer (a stopping service). */
  cancelAll(): void;
}
