import type { SimVenueDescriptor } from '@perpetua/sim';
import type { PushClientSpec } from './push-client.js';

/** How one client subscribes to the BTC book stream of each simulated venue, from the ready descriptor. */
export function bookStreamSpec(d: SimVenueDescriptor): PushClientSpec {
  switch (d.protocol) {
    case 'binanceusdm':
      return { url: `${d.ws}/btcusdt@depth@0ms`, marker: '"e":"depthUpdate"' };
    case 'standx':
      return { url: d.ws, subscribe: JSON.stringify({ subscribe: { channel: 'depth_book', symbol: 'BTC-USD' } }), marker: '"depth_book"' };
  }
}
