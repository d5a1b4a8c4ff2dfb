import { BookMessage, TradeMessage, patterns, type Instrument } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import { PaperTradingVenue } from '@perpetua/venues';

/**
 * The paper trading adapter fills against the market data the gateway
 * publishes, exactly what a live router would see: it subscribes to its
 * venue's books (every published level, so our order's queue is known) and
 * trades on the bus, and runs them through the fill model (libs/fills).
 */
export function paperTradingVenue(bus: Bus, venue: string, account: string, instruments: Instrument[]): { adapter: PaperTradingVenue; subscriptions: Subscription[] } {
  const adapter = new PaperTradingVenue(venue, account, instruments);
  const subscriptions = [
    bus.subscribe(patterns.booksOf(venue), BookMessage, (b) => {
      if (!b.stale) adapter.onBook(b.symbol, b.bids, b.asks);
    }),
    bus.subscribe(patterns.tradesOf(venue), TradeMessage, (t) => adapter.onTrade(t.symbol, t.price, t.size, t.side)),
  ];
  return { adapter, subscriptions };
}
