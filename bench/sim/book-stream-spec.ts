import type { SimVenueDescriptor } from '@perpetua/sim';
import type { PushClientSpec } from './push-client.js';

/** How one client subscribes to the BTC book stream of each simulated venue, from the ready descriptor. */
export function bookStreamSpec(d: SimVenueDescriptor): PushClientSpec {
  switch (d.protocol) {
    case 'binanceusdm':
      return { url: `${d.ws}/btcusdt@depth@0ms`, marker: '"e":"depthUpdate"' };
    case 'bybit':
      return { url: d.publicWs, subscribe: JSON.stringify({ op: 'subscribe', args: ['orderbook.50.BTCUSDT'] }), marker: '"topic":"orderbook.50.BTCUSDT"' };
    case 'okx':
      return { url: `${d.ws}/ws/v5/public`, subscribe: JSON.stringify({ op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT-SWAP' }] }), marker: '"channel":"books"' };
    case 'standx':
      return { url: d.ws, subscribe: JSON.stringify({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } }), marker: '"depth_book"' };
    case 'grvt':
      // GRVT publishes deltas on a timer (rate 50 ms is its fastest): at most 20 messages/s by protocol (not measured for throughput).
      return {
        url: d.marketDataWs,
        subscribe: JSON.stringify({ jsonrpc: '2.0', method: 'subscribe', params: { stream: 'v1.book.d', selectors: ['BTC_USDT_Perp@50'] }, id: 1 }),
        marker: '"v1.book.d"',
      };
  }
}
