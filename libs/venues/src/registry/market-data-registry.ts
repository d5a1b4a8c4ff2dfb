import { CcxtMarketData } from '../ccxt/ccxt-market-data.js';
import { GrvtMarketData } from '../grvt/grvt-market-data.js';
import { PaperMarketFeed } from '../paper/paper-market-feed.js';
import { StandxMarketData } from '../standx/standx-market-data.js';
import type { MarketDataAdapter } from '../venue-adapter.js';
import type { VenueConfig } from './venue-config.js';

/** The market-data adapter for one configured venue: adding a venue kind is one case here. */
export function createMarketData(venue: string, c: VenueConfig, hooks: { onLimitWait?(limit: string): void } = {}): MarketDataAdapter {
  switch (c.kind) {
    case 'ccxt':
      return new CcxtMarketData({
        venue,
        settle: c.settle,
        // Public data needs no keys; without them a wrong key cannot take market data down with it.
        connection: {
          exchangeId: c.exchange,
          testnet: c.testnet,
          enableRateLimit: c.enableRateLimit,
          restBaseUrl: c.restBaseUrl,
          wsBaseUrl: c.wsBaseUrl,
        },
      });
    case 'standx':
      return new StandxMarketData({ venue, restBaseUrl: c.restBaseUrl, wsUrl: c.wsUrl, makerFee: c.makerFee, takerFee: c.takerFee, onLimitWait: hooks.onLimitWait });
    case 'grvt':
      return new GrvtMarketData({ venue, env: c.env, marketDataUrl: c.marketDataUrl, marketDataWsUrl: c.marketDataWsUrl, makerFee: c.makerFee, takerFee: c.takerFee });
    case 'paper':
      return new PaperMarketFeed({ venue, ...c });
  }
}
