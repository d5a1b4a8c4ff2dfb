import { Counter, Gauge, type Registry } from 'prom-client';
import { onePerKey } from '@perpetua/core';

/** The arbitrage executor's metrics: episodes by outcome, legs by role and status, and whether execution is paused. */
export class ArbExecutionMetrics {
  static readonly of = onePerKey((registry: Registry) => new ArbExecutionMetrics(registry));

  readonly episodes: Counter<'outcome'>;
  readonly legs: Counter<'role' | 'status'>;
  readonly skipped: Counter<'reason'>;
  readonly paused: Gauge;

  private constructor(registry: Registry) {
    const registers = [registry];
    this.episodes = new Counter({ name: 'perpetua_arb_episodes_total', help: 'Executed arbitrage episodes, by outcome (complete, hedged, unwound, nothing_filled, unhedged)', labelNames: ['outcome'], registers });
    this.legs = new Counter({ name: 'perpetua_arb_legs_total', help: 'Orders sent by the arbitrage executor, by role and final status', labelNames: ['role', 'status'], registers });
    this.skipped = new Counter({ name: 'perpetua_arb_skipped_total', help: 'Opportunities not executed, by reason (busy, paused, cooldown, plan, instrument)', labelNames: ['reason'], registers });
    this.paused = new Gauge({ name: 'perpetua_arb_execution_paused', help: '1 after an episode left exposure beyond the tolerance: execution waits for an operator', registers });
  }
}
