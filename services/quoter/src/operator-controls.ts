import type { Logger } from 'pino';
import { StrategyParamsRequest, StrategyPauseRequest, subjects, type StrategyControlReply } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import { StrategyParams, createModel, hygieneOf, type HygieneParams, type LevelZero, type MarketEvent, type PricingContext, type PricingModel, type RestingQuote } from '@perpetua/strategies';
import type { Instrument } from '@perpetua/core';

/**
 * The operator's hold on a strategy's model: paused, it offers no quote (the
 * runtime then wants nothing resting and pulls the set, like a model that
 * cannot quote yet); new params swap the model in place, so they apply from
 * the next decision. Market events keep flowing to the model while paused, so
 * its estimators are warm on resume.
 */
export class OperatorModel implements PricingModel {
  paused = false;

  constructor(private inner: PricingModel) {}

  replace(model: PricingModel): void {
    this.inner = model;
  }

  onMarketEvent(e: MarketEvent): void {
    this.inner.onMarketEvent(e);
  }

  quote(ctx: PricingContext): LevelZero | null {
    return this.paused ? null : this.inner.quote(ctx);
  }

  accepts(resting: readonly RestingQuote[], ctx: PricingContext): boolean {
    return this.inner.accepts?.(resting, ctx) ?? true;
  }

  diagnostics(): Record<string, number> {
    return { ...this.inner.diagnostics(), operator_paused: this.paused ? 1 : 0 };
  }
}

/** What the controls need of one hosted strategy. */
export interface ControlledStrategy {
  id: string;
  params: StrategyParams;
  instrument: Instrument;
  model: OperatorModel;
  /** The hygiene object the instance reads on every decision. */
  hygiene: HygieneParams;
  /** Re-decide now (the quoter publishes the answer), so a change shows within one cycle. */
  redecide: () => void;
}

/** Params the instance reads only when it is built: changing them needs a restart. */
const FIXED_AT_START = ['kind', 'max_position', 'volatility_pause_bps', 'volatility_resume_bps', 'volatility_window'] as const;

/**
 * control.quoter.{pause,resume,params}.<strategy>: the dashboard's (or any
 * operator's) hold on one strategy. Bad params are refused with the reason and
 * change nothing.
 */
export function serveOperatorControls(bus: Bus, strategies: readonly ControlledStrategy[], logger: Logger): Subscription[] {
  const reply = (s: ControlledStrategy): StrategyControlReply => ({ strategy: s.id, paused: s.model.paused, params: { ...s.params } });
  const subs: Subscription[] = [];
  for (const s of strategies) {
    const setPaused = (paused: boolean, by: string | undefined) => {
      s.model.paused = paused;
      logger.warn({ strategy: s.id, by }, paused ? 'strategy paused by operator' : 'strategy resumed by operator');
      s.redecide();
      return reply(s);
    };
    subs.push(
      bus.serve(subjects.strategyControl('pause', s.id), StrategyPauseRequest, (r) => setPaused(true, r.by)),
      bus.serve(subjects.strategyControl('resume', s.id), StrategyPauseRequest, (r) => setPaused(false, r.by)),
      bus.serve(subjects.strategyControl('params', s.id), StrategyParamsRequest, (r) => {
        const parsed = StrategyParams.safeParse(r.params);
        if (!parsed.success) throw new Error(`params refused: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`);
        const next = parsed.data;
        for (const key of FIXED_AT_START) {
          const before = (s.params as Record<string, unknown>)[key];
          const after = (next as Record<string, unknown>)[key];
          if (before !== after) throw new Error(`params refused: ${key} cannot change while the strategy runs (restart it with the new value)`);
        }
        s.model.replace(createModel(next, s.instrument));
        // The instance reads its hygiene on every decision: update that object in place.
        Object.assign(s.hygiene, hygieneOf(next));
        s.params = next;
        logger.warn({ strategy: s.id, by: r.by, params: next }, 'strategy params changed by operator');
        s.redecide();
        return reply(s);
      }),
    );
  }
  return subs;
}
