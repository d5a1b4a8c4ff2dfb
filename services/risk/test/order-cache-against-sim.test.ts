import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { OrderEvent, OrderIntentReply, RiskRejectMessage, snapPrice, subjects, type OrderIntent, type QuoteIntent, type WantedQuote } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { CcxtTrading } from '@perpetua/venues';
import { FaultInjector, createSimWorld, startBinanceFacade, type SimWorldImpl } from '@perpetua/sim';
import { OrderRouterService } from '@perpetua/service-order-router';
import { waitUntil } from '@perpetua/testkit';
import { RiskService } from '../src/risk-service.js';

/**
 * Issue #24, item 1, end to end: risk, the real order router and the live ccxt adapter against the
 * simulator's Binance façade, with the simulator's fault injector on its REST traffic. Risk must judge
 * against what the venue confirmed — an order whose cancel the venue refused still rests — and against
 * what is in flight — an IOC leg the venue has not answered yet.
 */

const logger = createLogger({ service: 'risk-order-cache-e2e', level: 'silent' });
const VENUE = 'binanceusdm';
const ACCOUNT = 'acct-1';
const SYMBOL = 'BTC-PERP';
const SIZE = '0.01';
/** Room for one order of SIZE and a half, not two. */
const limits = { maxPosition: '0.015', maxOrderSize: SIZE };

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function startStack() {
  const world: SimWorldImpl = createSimWorld({ seed: 24, clock: 'wall', venues: [VENUE] });
  world.start(20);
  cleanup.push(() => world.stop());
  const facade = await startBinanceFacade({ world });
  cleanup.push(() => facade.close());
  const injector = new FaultInjector({ world });
  injector.attachBinance(facade, VENUE);
  // Closing releases any request a fault holds, so the adapter can close.
  cleanup.push(() => injector.close());
  const engine = world.venue(VENUE);

  const bus = new InProcessBus();
  cleanup.push(() => bus.close());
  const store = new MemoryStateStore();
  const adapter = new CcxtTrading({
    venue: VENUE,
    account: ACCOUNT,
    connection: { exchangeId: VENUE, apiKey: facade.credentials.apiKey, secret: facade.credentials.secret, restBaseUrl: facade.restUrl, wsBaseUrl: facade.wsUrl, enableRateLimit: false },
  });
  const router = new OrderRouterService({ bus, adapter, store, logger, registry: new Registry(), reconcile: { settleMs: 0 } });
  await router.start();
  cleanup.push(async () => {
    await router.stop();
    await adapter.close();
  });
  const risk = new RiskService({ bus, store, limits, logger, registry: new Registry() });
  await risk.start();
  cleanup.push(() => risk.stop());

  const events: OrderEvent[] = [];
  bus.subscribe(subjects.orderEvent(VENUE), OrderEvent, (e) => void events.push(e));
  const rejects: RiskRejectMessage[] = [];
  bus.subscribe(subjects.riskReject(), RiskRejectMessage, (r) => void rejects.push(r));
  const tick = (await adapter.instruments()).find((i) => i.symbol === SYMBOL)!.tickSize;
  /** A price this far below (buy) or above (sell) the touch: it rests, or an IOC there expires, without trading. */
  const away = (side: 'buy' | 'sell', fraction: number): string => {
    const b = engine.book(SYMBOL, 1);
    return side === 'buy' ? snapPrice({ tickSize: tick }, 'buy', Number(b.bids[0]![0]) * (1 - fraction)) : snapPrice({ tickSize: tick }, 'sell', Number(b.asks[0]![0]) * (1 + fraction));
  };
  const accountId = facade.accountId;
  return { world, engine, injector, bus, events, rejects, away, openAtVenue: () => engine.openOrders(accountId, SYMBOL) };
}

let seq = 0;
const quoteIntent = (quotes: WantedQuote[]): QuoteIntent => ({
  intentId: `q${++seq}`,
  strategy: 'mm',
  venue: VENUE,
  account: ACCOUNT,
  symbol: SYMBOL,
  quotes,
  bookSeq: seq,
  ts: Date.now(),
});
const orderIntent = (clientOrderId: string, side: 'buy' | 'sell', price: string): OrderIntent => ({
  intentId: `o${++seq}`,
  strategy: 'arb',
  venue: VENUE,
  account: ACCOUNT,
  symbol: SYMBOL,
  clientOrderId,
  side,
  price,
  qty: SIZE,
  tif: 'ioc',
  reduceOnly: false,
  ts: Date.now(),
});

describe('risk judges against what the venue confirmed and what is in flight (simulator, real router)', () => {
  it('a cancel the venue refuses: the order still rests, and a new quote that would pass max position with it is refused', async () => {
    const s = await startStack();
    const bid0 = s.away('buy', 0.02);
    s.bus.publish(subjects.quoteIntent('mm'), quoteIntent([{ slot: 'bid-0', side: 'buy', price: bid0, qty: SIZE, postOnly: true }]));
    await waitUntil(() => s.openAtVenue().some((o) => o.price === bid0) && s.events.some((e) => e.slot === 'bid-0' && e.status === 'new'), 10_000, 'bid-0 resting and reported');

    // From now on the venue refuses every cancel (HTTP 503 on DELETE /fapi/v1/order).
    s.injector.inject({ kind: 'http_error', venue: VENUE, status: 503, method: 'DELETE', path: '/fapi/v1/order' });
    // The strategy moves its bid to another slot: bid-0 must go, bid-1 come.
    const bid1 = s.away('buy', 0.03);
    s.bus.publish(subjects.quoteIntent('mm'), quoteIntent([{ slot: 'bid-1', side: 'buy', price: bid1, qty: SIZE, postOnly: true }]));
    await waitUntil(() => s.rejects.some((r) => r.detail.startsWith('bid-1:')), 10_000, () => `bid-1 refused (rejects: ${JSON.stringify(s.rejects)})`);
    expect(s.rejects.find((r) => r.detail.startsWith('bid-1:'))).toMatchObject({ rule: 'max_position', source: 'mm', venue: VENUE });

    // The router tried the cancel, the venue refused it: bid-0 still rests, and bid-1 never reached the venue.
    await waitUntil(() => s.injector.list().some((f) => f.hits > 0), 10_000, 'the refused cancel');
    expect(s.openAtVenue().map((o) => o.price)).toEqual([bid0]);

    // Once the venue confirms the cancel, the room is back: the same set is approved and placed.
    s.injector.clear();
    s.bus.publish(subjects.quoteIntent('mm'), quoteIntent([{ slot: 'bid-1', side: 'buy', price: bid1, qty: SIZE, postOnly: true }]));
    // (The router forgets a slot's order once its cancel call succeeds, so the venue's event names only the client id.)
    const bid0Id = s.events.find((e) => e.slot === 'bid-0')!.clientOrderId;
    await waitUntil(() => s.events.some((e) => e.clientOrderId === bid0Id && e.status === 'canceled'), 10_000, 'bid-0 cancel confirmed');
    s.bus.publish(subjects.quoteIntent('mm'), quoteIntent([{ slot: 'bid-1', side: 'buy', price: bid1, qty: SIZE, postOnly: true }]));
    await waitUntil(() => s.openAtVenue().some((o) => o.price === bid1), 10_000, 'bid-1 placed once bid-0 is gone');
    expect(s.openAtVenue().map((o) => o.price)).toEqual([bid1]);
  }, 60_000);

  it('an IOC leg in flight: a second order that would pass max position if both filled is refused', async () => {
    const s = await startStack();
    // The venue holds every new order unanswered: the first leg stays in flight.
    s.injector.inject({ kind: 'http_timeout', venue: VENUE, method: 'POST', path: '/fapi/v1/order' });
    const price = s.away('buy', 0.01);
    const first = await s.bus.request(subjects.orderIntent('arb'), orderIntent('leg-1', 'buy', price), OrderIntentReply);
    expect(first).toMatchObject({ approved: true });
    await waitUntil(() => s.injector.list().some((f) => f.hits > 0), 10_000, 'the first leg held at the venue');

    const second = await s.bus.request(subjects.orderIntent('arb'), orderIntent('leg-2', 'buy', price), OrderIntentReply);
    expect(second).toMatchObject({ approved: false, rule: 'max_position' });
    // The opposite side only reduces what the first leg could add: it passes.
    const reducing = await s.bus.request(subjects.orderIntent('arb'), orderIntent('leg-3', 'sell', s.away('sell', 0.01)), OrderIntentReply);
    expect(reducing).toMatchObject({ approved: true });
    expect(s.events.filter((e) => e.clientOrderId === 'leg-1')).toEqual([]); // still unanswered when the second was judged
  }, 60_000);
});
