import type { SimTrade, SimVenueConfig } from './types.js';
import type { EngineOrder } from './engine-order.js';
import { InstrumentRuntime } from './instrument-runtime.js';
import { OrderBook } from './order-book.js';
import { fundingTimeAfter, MarkState } from './mark-state.js';
import { GENERIC_SPEC } from './venue-defaults.js';

/** Recent trades kept per symbol for `recentTrades` (the list is cut back to this once it is half as long again). */
const RECENT_TRADES = 1_000;

/** One symbol on one venue: its instrument, its book, its recent trades, its halt and its mark. */
export interface SymbolState {
  rt: InstrumentRuntime;
  book: OrderBook<EngineOrder>;
  trades: SimTrade[];
  halted: boolean;
  mark: MarkState;
}

export function newSymbolState(config: Readonly<SimVenueConfig>, asset: string, now: number): SymbolState {
  const rt = new InstrumentRuntime(config, asset, config.instruments[asset] ?? GENERIC_SPEC);
  return {
    rt,
    book: new OrderBook<EngineOrder>(rt.info.symbol),
    trades: [],
    halted: false,
    mark: new MarkState(fundingTimeAfter(now, config.fundingIntervalMs), now),
  };
}

/** Appends a trade to the symbol's recent trades, keeping them bounded. */
export function recordTrade(s: SymbolState, trade: SimTrade): void {
  s.trades.push(trade);
  if (s.trades.length > RECENT_TRADES * 1.5) s.trades.splice(0, s.trades.length - RECENT_TRADES);
}
