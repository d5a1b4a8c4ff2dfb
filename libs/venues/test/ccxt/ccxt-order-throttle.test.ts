import { afterEach, describe, expect, it } from 'vitest';
import { snapPrice } from '@perpetua/core';
import { createSimWorld, startBinanceFacade, type SimWorldImpl } from '@perpetua/sim';
import { CcxtTrading } from '../../src/ccxt/ccxt-trading.js';

/**
 * ccxt's request throttle (a leaky bucket per exchange instance) lets a heavy read go at once and makes the next
 * request pay for it: Binance's income history (the router's funding poll) weighs 30 at 50 ms a unit, so a cancel
 * sent just after it waited about 1.5 s. That cost the chaos run its "quoting stops within 1 s of a stale book" on
 * binanceusdm. Order actions (place, amend, cancel, cancel-all) now have their own instance and queue: a read
 * never holds them. The throttle itself stays on (the venue's limits are real).
 */

let world: SimWorldImpl | undefined;
let facade: Awaited<ReturnType<typeof startBinanceFacade>> | undefined;
let adapter: CcxtTrading | undefined;

afterEach(async () => {
  world?.stop();
  await adapter?.close();
  await facade?.close();
  world = facade = adapter = undefined;
});

/** Well under the 1.45 s a weight-30 read would make the next request wait, well over a loopback call on a loaded machine. */
const PROMPT_MS = 700;

describe('ccxt trading adapter: order actions do not queue behind reads (ccxt throttle on)', () => {
  it('Binance USD-M: a cancel and a cancel-all right after the funding and fills reads are sent at once', async () => {
    world = createSimWorld({ seed: 11, clock: 'wall', venues: ['binanceusdm'] });
    world.start(20);
    const f = await startBinanceFacade({ world });
    facade = f;
    const a = new CcxtTrading({
      venue: 'binanceusdm',
      account: 'acct-1',
      // ccxt's throttle on, as in production (enableRateLimit defaults to true).
      connection: { exchangeId: 'binanceusdm', apiKey: f.credentials.apiKey, secret: f.credentials.secret, restBaseUrl: f.restUrl, wsBaseUrl: f.restUrl.replace(/^http/, 'ws') },
    });
    adapter = a;
    const inst = (await a.instruments()).find((i) => i.symbol === 'BTC-PERP')!;
    const engine = world.venue('binanceusdm');
    const below = () => snapPrice(inst, 'buy', Number(engine.book('BTC-PERP', 1).bids[0]![0]) * 0.98);
    const place = async (clientOrderId: string) => {
      const r = await a.placeOrder({ clientOrderId, symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: below(), qty: '0.01', tif: 'gtc', reduceOnly: false });
      expect(r, JSON.stringify(r)).toMatchObject({ status: 'accepted' });
    };
    await place(`thr${process.pid}a`);
    await place(`thr${process.pid}b`);

    // The router's funding poll (income, weight 30), then a cancel.
    await a.fundingPayments(Date.now() - 3_600_000, ['BTC-PERP']);
    let t0 = performance.now();
    expect(await a.cancelOrder('BTC-PERP', `thr${process.pid}a`)).toBe(true);
    const cancelMs = performance.now() - t0;

    // A reconciliation's reads (fills weight 5, open orders), then the kill switch's cancel-all.
    await a.fundingPayments(Date.now() - 3_600_000, ['BTC-PERP']);
    await a.fillsSince(Date.now() - 3_600_000, ['BTC-PERP']);
    t0 = performance.now();
    await a.cancelAll();
    const cancelAllMs = performance.now() - t0;

    expect(engine.openOrders(f.accountId)).toHaveLength(0);
    expect(cancelMs, 'cancel right after a weight-30 read').toBeLessThan(PROMPT_MS);
    expect(cancelAllMs, 'cancel-all right after weight-35 of reads').toBeLessThan(PROMPT_MS);
  });
});
