import type { OrderEvent } from '@perpetua/core';
import { waitUntil } from '@perpetua/testkit';
import type { CcxtTrading } from '../../src/ccxt/ccxt-trading.js';

/**
 * Waits until the adapter's private order stream delivers, by placing and cancelling far-off post-only probe orders
 * until one shows on the stream: ccxt subscribes on the first watch (Binance a listen key, Bybit and OKX a login and
 * a subscribe), and says nothing when that is done. The trade stream is subscribed in the same turn, right after the
 * order stream (one listen key on Binance, the same authenticated socket on Bybit and OKX), so it is live by then too.
 */
export async function untilOrderStreamLive(a: CcxtTrading, events: readonly OrderEvent[], farPrice: string, clientId: (tag: string) => string): Promise<void> {
  let n = 0;
  await waitUntil(
    async () => {
      const id = clientId(`probe${++n}`);
      await a.placeOrder({ clientOrderId: id, symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: farPrice, qty: '0.002', tif: 'post_only', reduceOnly: false });
      await a.cancelOrder('BTC-PERP', id);
      const seen = async () => events.some((e) => e.clientOrderId === id);
      return waitUntil(seen, 250, 'the probe on the order stream')
        .then(() => true)
        .catch(() => false);
    },
    10_000,
    'the private order stream live',
    0,
  );
}
