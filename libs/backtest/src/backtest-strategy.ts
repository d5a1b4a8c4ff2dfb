import type { BookMessage, Fill, MarkMessage, OrderEvent, TradeMessage, WantedQuote } from '@perpetua/core';

/**
 * What the runner drives: the live strategy code behind one small surface.
 * Every handler answers with the complete set of quotes wanted now, or null
 * for no change (the runtime's own contract).
 */
export interface BacktestStrategy {
  onBook(book: BookMessage): WantedQuote[] | null;
  onTrade(trade: TradeMessage): WantedQuote[] | null;
  onMark(mark: MarkMessage): WantedQuote[] | null;
  onOrderEvent(event: OrderEvent): WantedQuote[] | null;
  onFill(fill: Fill): WantedQuote[] | null;
  /** A timer tick of the strategy's clock (cool-downs, order age). */
  onTimer(): WantedQuote[] | null;
  /** Time spent in the volatility pause so far, ms. */
  pausedMs(): number;
}
