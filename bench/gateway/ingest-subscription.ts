import type { SimVenueDescriptor } from '@perpetua/sim';
import { bookStreamSpec } from '../sim/book-stream-spec.js';

/** How the bare client subscribes on a façade: URL, subscribe messages, and the substring of a book frame. */
export interface BareSubscription {
  url: string;
  subscribe: string[];
  bookMarker: string;
}

/**
 * The streams the gateway's adapter subscribes to for BTC on each protocol (its
 * book, its trades and whatever else it asks for), so that the bare client parses
 * the same frames and its CPU per message is comparable. The bench checks at run
 * time that both saw the same stream names (FrameCountingInjector.streams).
 */
export function bareSubscription(d: SimVenueDescriptor): BareSubscription {
  const bookMarker = bookStreamSpec(d).marker;
  switch (d.protocol) {
    case 'binanceusdm':
      // ccxt: the diff stream at 100 ms (the façade pushes every change whatever the suffix) and raw trades.
      return { url: `${d.ws}/btcusdt@depth@100ms/btcusdt@trade`, subscribe: [], bookMarker };
    case 'bybit':
      return { url: d.publicWs, subscribe: [JSON.stringify({ op: 'subscribe', args: ['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT'] })], bookMarker };
    case 'okx':
      // ccxt: the `books` channel (400 levels, checksummed updates) and trades, one subscribe per watch.
      return {
        url: `${d.ws}/ws/v5/public`,
        subscribe: [
          JSON.stringify({ op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT-SWAP' }] }),
          JSON.stringify({ op: 'subscribe', args: [{ channel: 'trades', instId: 'BTC-USDT-SWAP' }] }),
        ],
        bookMarker,
      };
    case 'standx':
      return { url: d.ws, subscribe: ['depth_book', 'price', 'public_trade'].map((channel) => JSON.stringify({ subscribe: { channel, symbol: 'BTC-USD' } })), bookMarker };
    case 'grvt': {
      // Our adapter's selectors: book deltas every 100 ms, trades (limit 50), the ticker every 500 ms.
      const sub = (stream: string, selector: string, id: number) => JSON.stringify({ jsonrpc: '2.0', method: 'subscribe', params: { stream, selectors: [selector] }, id });
      return {
        url: d.marketDataWs,
        subscribe: [sub('v1.book.d', 'BTC_USDT_Perp@100', 1), sub('v1.trade', 'BTC_USDT_Perp@50', 2), sub('v1.ticker.s', 'BTC_USDT_Perp@500', 3)],
        bookMarker,
      };
    }
  }
}
