/**
 * Plays a scenario: injects each step's fault at its offset from `start()`, on the injector's clock (or one given
 * for tests). A step the injector refuses (say, a venue with no façade attached) is recorded, not thrown, so one bad
 * step does not stop the rest.
 */
import type { FaultView } from './active-fault.js';
import type { FaultClock } from './fault-clock.js';
import type { FaultInjector } from './fault-injector.js';
import type { Scenario, ScenarioStep } from './scenario-file.js';

export type ScenarioOutcome = { step: ScenarioStep; at: number } & ({ ok: true; fault: FaultView } | { ok: false; error: string });

export class ScenarioRunner {
  private readonly clock: FaultClock;
  private readonly pending = new Set<() => void>();
  private readonly done: Array<ScenarioOutcome> = [];
  private startedAt: number | undefined;
  private finish: (() => void) | undefined;
  readonly finished: Promise<void>;

  constructor(
    private readonly injector: FaultInjector,
    private readonly scenario: Scenario,
    clock?: FaultClock,
  ) {
    this.clock = clock ?? injector.clock;
    this.finished = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  /** Schedules every step relative to now. */
  start(): void {
    if (this.startedAt !== undefined) throw new Error('scenario already started');
    this.startedAt = this.clock.now();
    if (this.scenario.steps.length === 0) this.finish?.();
    let left = this.scenario.steps.length;
    for (const step of this.scenario.steps) {
      const cancel = this.clock.schedule(step.atMs, () => {
        this.pending.delete(cancel);
        this.run(step);
        if (--left === 0) this.finish?.();
      });
      this.pending.add(cancel);
    }
  }

  /** Cancels steps not yet run (faults already injected stay until they retire or are removed). */
  stop(): void {
    for (const cancel of this.pending) cancel();
    this.pending.clear();
    this.finish?.();
  }

  /** What each step did so far, in the order run. */
  outcomes(): readonly ScenarioOutcome[] {
    return this.done;
  }

  private run(step: ScenarioStep): void {
    const at = this.clock.now() - (this.startedAt ?? 0);
    try {
      this.done.push({ step, at, ok: true, fault: this.injector.inject(step.fault) });
    } catch (err) {
      this.done.push({ step, at, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
