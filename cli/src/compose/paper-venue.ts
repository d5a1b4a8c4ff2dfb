import { BookMessage, TradeMessage, patterns } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import { PaperMarketFeed, PaperTradingVenue, paperInstrument, type PaperVenueConfig as FeedConfig } from '@perpetua/venues';
import type { PaperVenueConfig } from '../perpetua-config.js';

function feedConfig(venue: string, c: PaperVenueConfig): FeedConfig {
  return { venue, ...c };
}

export function paperInstruments(venue: string, c: PaperVenueConfig) {
  return c.symbols.map((symbol) => paperInstrument({ venue, symbol, tickSize: c.tickSize, lotSize: c.lotSize, makerFee: c.makerFee, takerFee: c.takerFee }));
}

export function paperMarketFeed(venue: string, c: PaperVenueConfig): PaperMarketFeed {
  return new PaperMarketFeed(feedConfig(venue, c));
}

/**
 * The paper trading adapter fills against the market data the gateway
 * publishes, exactly what a live router would see: it subscribes to its
 * venue's books and trades on the bus.
 */
export function paperTradingVenue(bus: Bus, venue: string, account: string, c: PaperVenueConfig): { adapter: PaperTradingVenue; subscriptions: Subscription[] } {
  const adapter = new PaperTradingVenue(venue, account, paperInstruments(venue, c));
  const subscriptions = [
    bus.subscribe(patterns.booksOf(venue), BookMessage, (b) => {
      if (!b.stale) adapter.onBook(b.symbol, b.bids[0]?.[0], b.asks[0]?.[0]);
    }),
    bus.subscribe(patterns.tradesOf(venue), TradeMessage, (t) => adapter.onTrade(t.symbol, t.price, t.size)),
  ];
  return { adapter, subscriptions };
}
