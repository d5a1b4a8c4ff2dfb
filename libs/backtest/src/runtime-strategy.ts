import type { Clock, Instrument } from '@perpetua/core';
import { StrategyInstance, createModel, hygieneOf, type QuoteDecision, type StrategyParams } from '@perpetua/strategies';
import type { BacktestStrategy } from './backtest-strategy.js';

export interface RuntimeStrategyConfig {
  id: string;
  venue: string;
  account: string;
  symbol: string;
  params: StrategyParams;
  /** The risk limit maxPosition, used when the params set no max_position (as the quoter does). */
  maxPosition: string;
}

/**
 * The live strategy runtime (libs/strategies StrategyInstance: pricing model +
 * quote hygiene), built exactly as the quoter builds it, on the replay's clock.
 */
export function runtimeStrategy(config: RuntimeStrategyConfig, instrument: Instrument, clock: Clock): BacktestStrategy & { instance: StrategyInstance } {
  const hygiene = hygieneOf(config.params);
  const instance = new StrategyInstance(
    { id: config.id, venue: config.venue, account: config.account, symbol: config.symbol, kind: config.params.kind },
    { model: createModel(config.params, instrument), instrument, clock, hygiene, maxPosition: String(hygiene.max_position ?? config.maxPosition) },
  );
  return { instance, ...backtestStrategyOf(instance) };
}

/** A strategy instance as the backtest drives it: each handler answers the quotes it wants, or null for no change. */
export function backtestStrategyOf(instance: StrategyInstance): BacktestStrategy {
  const quotes = (d: QuoteDecision | null) => (d === null ? null : d.quotes);
  return {
    onBook: (b) => quotes(instance.onBook(b)),
    onTrade: (t) => quotes(instance.onTrade(t)),
    onMark: (m) => quotes(instance.onMark(m)),
    onOrderEvent: (e) => quotes(instance.onOrderEvent(e)),
    onFill: (f) => quotes(instance.onFill(f)),
    onTimer: () => quotes(instance.onTimer()),
    pausedMs: () => instance.snapshot().pausedSec * 1000,
  };
}
