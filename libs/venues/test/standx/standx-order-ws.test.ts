import { afterEach, describe, expect, it } from 'vitest';
import { Fill, OrderEvent, dec, roundToStep, toText } from '@perpetua/core';
import { FaultInjector, SimFaultMetrics, createSimWorld, startStandxFacade, type SimWorldImpl, type StandxDialectInput, type StandxFacade } from '@perpetua/sim';
import { waitUntil } from '@perpetua/testkit';
import { StandxConnectionBudget } from '../../src/standx/standx-connection-budget.js';
import { StandxMarketData } from '../../src/standx/standx-market-data.js';
import { StandxTrading, type StandxTradingConfig } from '../../src/standx/standx-trading.js';
import { STANDX_DIALECTS } from './standx-dialects.js';

/**
 * The real StandX adapter against the simulator, on what the docs leave to the order-response WebSocket and to the
 * venue's limits: cancel-all when cancel_orders answers `[]`, an ALO rejected in matching and told only on /ws-api/v1,
 * an order whose news is lost altogether, and a storm of connection drops against the per-IP connection limits.
 */
const DEMO = 'standx-demo';
let world: SimWorldImpl | undefined;
let facade: StandxFacade | undefined;
let adapter: StandxTrading | undefined;
let md: StandxMarketData | undefined;
let faults: FaultInjector | undefined;

afterEach(async () => {
  faults?.close();
  world?.stop();
  await md?.close();
  await adapter?.close();
  await facade?.close();
  world = facade = adapter = md = faults = undefined;
});

interface Seen {
  events: OrderEvent[];
  fills: Fill[];
  invalid: string[];
}

async function started(dialect: StandxDialectInput, config: Partial<StandxTradingConfig> = {}): Promise<Seen> {
  world = createSimWorld({ seed: 31, clock: 'wall', venues: ['standx'] });
  facade = await startStandxFacade({ world, dialect });
  world.start(20);
  const seen: Seen = { events: [], fills: [], invalid: [] };
  adapter = new StandxTrading({
    account: 'mm-1',
    restBaseUrl: facade.restUrl,
    wsUrl: facade.wsUrl,
    ...facade.credentials,
    connectionBudget: new StandxConnectionBudget(),
    onInvalid: (kind) => seen.invalid.push(kind),
    ...config,
  });
  await adapter.start({ onOrderEvent: (e) => seen.events.push(OrderEvent.parse(e)), onFill: (f) => seen.fills.push(Fill.parse(f)) });
  return seen;
}

const engine = () => world!.venue('standx');
function priceAt(side: 'bid' | 'ask', factor: number): string {
  const book = engine().book('BTC-PERP', 1);
  const touch = Number((side === 'bid' ? book.bids : book.asks)[0]![0]);
  return toText(roundToStep(dec((touch * factor).toFixed(6)), dec(engine().instrument('BTC-PERP')!.tickSize), 'floor'));
}
const statusesOf = (seen: Seen, id: string) => seen.events.filter((e) => e.clientOrderId === id).map((e) => e.status);

describe('StandX cancel-all and matching rejections (acceptance #20.2)', () => {
  it('cancel-all against cancel_orders answering [] reports success and the orders are gone; an ALO that would cross is rejected on the order WebSocket within a second', async () => {
    const seen = await started({ cancelOrdersReply: 'empty_array', rejections: 'order_ws_only' });
    const sessions: (string | undefined)[] = [];
    facade!.setTrafficHooks({
      onRest: (req) => {
        if (req.path === '/api/new_order') sessions.push(req.headers['x-session-id'] as string | undefined);
        return undefined;
      },
    });
    const ids = ['ca-1', 'ca-2', 'ca-3'];
    for (const [i, id] of ids.entries()) {
      await adapter!.placeOrder({ clientOrderId: id, symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: priceAt('bid', 0.9 - i / 100), qty: '0.01', tif: 'post_only', reduceOnly: false });
    }
    await waitUntil(() => ids.every((id) => statusesOf(seen, id).includes('new')), 5_000, 'three resting orders');
    expect(await adapter!.cancelAll('BTC-PERP')).toBe(3);
    for (const id of ids) expect(statusesOf(seen, id).at(-1)).toBe('canceled');
    expect(engine().openOrders(DEMO)).toEqual([]);
    expect(await adapter!.openOrders()).toEqual([]);

    const t0 = Date.now();
    const placed = await adapter!.placeOrder({ clientOrderId: 'alo-cross', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: priceAt('ask', 1.01), qty: '0.01', tif: 'post_only', reduceOnly: false });
    expect(placed).toEqual({ status: 'accepted', orderStatus: 'pending' });
    await waitUntil(() => statusesOf(seen, 'alo-cross').includes('rejected'), 1_000, 'the rejection within a second');
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(seen.events.filter((e) => e.clientOrderId === 'alo-cross').at(-1)).toMatchObject({ status: 'rejected', reason: 'alo order rejected', side: 'buy', qty: '0.01' });
    expect(adapter!.rejectedByOrderStream).toBe(1);
    // Every order went out with our session; the venue's query does not know the rejected one (this dialect).
    expect(new Set(sessions)).toEqual(new Set([adapter!.sessionId]));
    expect(await adapter!.queryOrder('BTC-PERP', 'alo-cross')).toBeUndefined();
    expect(statusesOf(seen, 'alo-cross')).toEqual(['rejected']);
  });

  it('an order whose news is lost altogether (order WebSocket silent, query_order never finds it) still ends rejected, and a cancel makes sure', async () => {
    const seen = await started({ rejections: 'order_ws_only' }, { silentOrderCheckMs: 200, notFoundRejectMs: 400 });
    const cancels: unknown[] = [];
    facade!.setTrafficHooks({
      onWsSend: (m) => (m.channel === 'order_response' ? null : m.text),
      onRest: (req) => {
        if (req.path === '/api/cancel_order') cancels.push(JSON.parse(req.rawBody));
        return undefined;
      },
    });
    await adapter!.placeOrder({ clientOrderId: 'lost-cross', symbol: 'BTC-PERP', side: 'sell', type: 'limit', price: priceAt('bid', 0.99), qty: '0.01', tif: 'post_only', reduceOnly: false });
    await waitUntil(() => statusesOf(seen, 'lost-cross').includes('rejected'), 10_000, 'resolved rejected');
    expect(adapter!.rejectedUnseen).toBe(1);
    await waitUntil(() => cancels.length > 0, 5_000, 'the safety cancel');
    expect(cancels).toEqual([{ cl_ord_id: 'lost-cross' }]);
  });

  it.each(STANDX_DIALECTS)('every order ends final, dialect: %s', async (_name, dialect) => {
    const seen = await started(dialect);
    await adapter!.placeOrder({ clientOrderId: 'x-rest', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: priceAt('bid', 0.95), qty: '0.01', tif: 'post_only', reduceOnly: false });
    await adapter!.placeOrder({ clientOrderId: 'x-cross', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: priceAt('ask', 1.01), qty: '0.01', tif: 'post_only', reduceOnly: false });
    await adapter!.placeOrder({ clientOrderId: 'x-take', symbol: 'BTC-PERP', side: 'sell', type: 'market', qty: '0.01', tif: 'ioc', reduceOnly: false });
    await waitUntil(() => statusesOf(seen, 'x-cross').includes('rejected') && statusesOf(seen, 'x-take').includes('filled') && statusesOf(seen, 'x-rest').includes('new'), 5_000, 'each order told');
    expect(await adapter!.cancelAll()).toBe(1);
    expect(statusesOf(seen, 'x-rest').at(-1)).toBe('canceled');
    await waitUntil(() => seen.fills.length === engine().fills(DEMO).length, 5_000, 'every fill');
    expect(seen.invalid.filter((k) => k !== 'fill_missing')).toEqual([]);
  });
});

describe('StandX connection limits (acceptance #20.5)', () => {
  it('under a storm of drops the adapter opens at most 10 sockets at once and 30 a minute, counted by the simulator, never refused', async () => {
    world = createSimWorld({ seed: 32, clock: 'wall', venues: ['standx'] });
    facade = await startStandxFacade({ world });
    world.start(20);
    faults = new FaultInjector({ world, metrics: new SimFaultMetrics() });
    faults.attachStandx(facade);
    // One budget for every StandX socket of this "process": market stream, private stream, order-response stream.
    const budget = new StandxConnectionBudget();
    const states: string[] = [];
    let limitWaits = 0;
    const onLimitWait = () => void limitWaits++;
    md = new StandxMarketData({ restBaseUrl: facade.restUrl, wsUrl: facade.wsUrl, connectionBudget: budget, onLimitWait });
    await md.start(['BTC-PERP', 'ETH-PERP'], { onBook: () => undefined, onStatus: (s) => states.push(s) });
    adapter = new StandxTrading({ account: 'mm-1', restBaseUrl: facade.restUrl, wsUrl: facade.wsUrl, ...facade.credentials, connectionBudget: budget, onLimitWait });
    await adapter.start({ onOrderEvent: () => undefined, onFill: () => undefined });
    expect(budget.open).toBe(3);

    // Every message closes its connection, for 8 s: each socket comes back as fast as its backoff allows.
    faults.inject({ kind: 'ws_drop', venue: 'standx', durationMs: 8_000 });
    await waitUntil(() => budget.waits >= 1, 10_000, 'the budget holding dials back');
    await waitUntil(() => faults!.list().length === 0, 15_000, 'the storm over');
    const stats = facade.connectionStats()['127.0.0.1']!;
    expect(stats.refused).toBe(0);
    expect(stats.peakOpen).toBeLessThanOrEqual(10);
    expect(stats.peakPerMinute).toBeLessThanOrEqual(30);
    expect(stats.opened).toBeGreaterThan(3);
    expect(stats.opened).toBeLessThanOrEqual(30);
    expect(budget.granted).toBe(stats.opened);
    // Each held dial was told (the limit's metric), and the budget still holds: the next dial waits for the minute to
    // pass (62 s after the first, inside StandX's 60).
    expect(limitWaits).toBe(budget.waits);
    expect(budget.open).toBeLessThan(3);
  });
});
