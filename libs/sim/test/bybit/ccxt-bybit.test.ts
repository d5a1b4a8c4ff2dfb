import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order, Trade } from 'ccxt';
import { createSimWorld } from '../../src/world.js';
import type { SimWorldImpl } from '../../src/world.js';
import { type BybitFacade, startBybitFacade } from '../../src/facades/bybit/index.js';
import { type BybitPro, ccxtBybit } from './ccxt-client.js';
import { stepUntilSettled, waitFor } from '../support/wait.js';
import { privateSubscribeAcks } from './private-subscribe-acks.js';

const SYMBOL = 'BTC/USDT:USDT';

/** ccxt types an order id as optional; every order the façade acknowledges has one. */
function idOf(o: Order): string {
  if (o.id === undefined) throw new Error('order without id');
  return o.id;
}
const ENGINE_SYMBOL = 'BTC-PERP';

/** An unmodified ccxt.pro.bybit against the façade: every unified call the gateway and router rely on. */
describe('ccxt.pro.bybit against the Bybit façade', () => {
  let world: SimWorldImpl;
  let facade: BybitFacade;
  let ex: BybitPro;
  const internalErrors: unknown[] = [];

  beforeAll(async () => {
    world = createSimWorld({ seed: 11 });
    for (let i = 0; i < 20; i++) world.step();
    facade = await startBybitFacade({ world, onInternalError: (e) => internalErrors.push(e) });
    ex = await ccxtBybit(facade);
  });

  afterAll(async () => {
    await ex?.close();
    await facade?.close();
    expect(internalErrors).toEqual([]);
  });

  const engine = () => world.venue('bybit');
  const bestBid = () => engine().book(ENGINE_SYMBOL, 1).bids[0]?.[0] ?? '0';
  const bestAsk = () => engine().book(ENGINE_SYMBOL, 1).asks[0]?.[0] ?? '0';

  it('loadMarkets lists the linear perpetuals with the engine conventions', async () => {
    const markets = await ex.loadMarkets();
    const btc = markets[SYMBOL];
    expect(btc).toBeDefined();
    expect(btc?.id).toBe('BTCUSDT');
    expect(btc?.swap).toBe(true);
    expect(btc?.linear).toBe(true);
    expect(btc?.precision.price).toBe(0.1);
    expect(btc?.precision.amount).toBe(0.001);
    expect(btc?.limits.amount?.min).toBe(0.001);
    expect(markets['ETH/USDT:USDT']?.precision.amount).toBe(0.01);
  });

  it('fetchTicker shows top of book, mark and index', async () => {
    const t = await ex.fetchTicker(SYMBOL);
    expect(t.symbol).toBe(SYMBOL);
    expect(t.bid).toBe(Number(bestBid()));
    expect(t.ask).toBe(Number(bestAsk()));
    expect(t.markPrice).toBe(Number(engine().mark(ENGINE_SYMBOL).markPrice));
    expect(t.last).toBeGreaterThan(0);
  });

  it('fetchOrderBook equals the engine book', async () => {
    const ob = await ex.fetchOrderBook(SYMBOL, 25);
    const book = engine().book(ENGINE_SYMBOL, 25);
    expect(ob.bids).toEqual(book.bids.map(([p, q]) => [Number(p), Number(q)]));
    expect(ob.asks).toEqual(book.asks.map(([p, q]) => [Number(p), Number(q)]));
    expect(ob.timestamp).toBe(book.ts);
  });

  it('watchOrderBook tracks the engine book through 100+ deltas', async () => {
    let updates = 0;
    await ex.watchOrderBook(SYMBOL);
    while (updates < 110) {
      await stepUntilSettled(world, ex.watchOrderBook(SYMBOL));
      updates++;
    }
    // Freeze: no more steps; wait for the last flush to arrive.
    const book = engine().book(ENGINE_SYMBOL, 20);
    const levels = (side: ReadonlyArray<readonly [unknown, unknown]>) => JSON.stringify(side.map(([p, q]) => [Number(p), Number(q)]));
    const caughtUp = () => {
      const top = ex.orderbooks[SYMBOL];
      return top !== undefined && levels(top.bids.slice(0, 20) as Array<[unknown, unknown]>) === levels(book.bids) && levels(top.asks.slice(0, 20) as Array<[unknown, unknown]>) === levels(book.asks);
    };
    await waitFor(caughtUp, 3_000, 'the last flush: the book equal to the venue\'s');
    const ob = ex.orderbooks[SYMBOL];
    expect(ob?.bids.slice(0, 20)).toEqual(book.bids.map(([p, q]) => [Number(p), Number(q)]));
    expect(ob?.asks.slice(0, 20)).toEqual(book.asks.map(([p, q]) => [Number(p), Number(q)]));
  });

  it('watchTrades delivers public trades', async () => {
    const trades = await stepUntilSettled(world, ex.watchTrades(SYMBOL), 10_000);
    expect(trades.length).toBeGreaterThan(0);
    const t = trades[trades.length - 1] as Trade;
    expect(t.symbol).toBe(SYMBOL);
    expect(t.price).toBeGreaterThan(0);
    expect(['buy', 'sell']).toContain(t.side);
  });

  it('creates a resting post-only limit order, finds it, and cancels it', async () => {
    const price = Number(bestBid()) - 500;
    const created = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.002, price, { postOnly: true, clientOrderId: 'po-rest-1' });
    expect(created.id).toBeTruthy();
    const open = await ex.fetchOpenOrders(SYMBOL);
    const mine = open.find((o) => o.id === created.id);
    expect(mine?.status).toBe('open');
    expect(mine?.price).toBe(price);
    expect(mine?.amount).toBe(0.002);
    expect(mine?.timeInForce).toBe('PO');
    expect(mine?.clientOrderId).toBe('po-rest-1');
    const fetched = await ex.fetchOrder(idOf(created), SYMBOL, { acknowledged: true });
    expect(fetched.status).toBe('open');
    const openOne = await ex.fetchOpenOrder(idOf(created), SYMBOL);
    expect(openOne.id).toBe(created.id);
    const cancelled = await ex.cancelOrder(idOf(created), SYMBOL);
    expect(cancelled.id).toBe(created.id);
    const after = await ex.fetchOrder(idOf(created), SYMBOL, { acknowledged: true });
    expect(after.status).toBe('canceled');
    const cancelledList = await ex.fetchCanceledOrders(SYMBOL);
    expect(cancelledList.some((o) => o.id === created.id)).toBe(true);
  });

  it('a crossing post-only order is accepted and cancelled at once, as Bybit does', async () => {
    const created = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.001, Number(bestAsk()) + 10, { postOnly: true });
    const order = await ex.fetchOrder(idOf(created), SYMBOL, { acknowledged: true });
    expect(order.status).toBe('canceled');
    expect(order.filled).toBe(0);
    expect((order.info as Record<string, unknown>)['rejectReason']).toBe('EC_PostOnlyWillTakeLiquidity');
    expect(engine().openOrders(facade.accountId, ENGINE_SYMBOL).length).toBe(0);
  });

  it('cancelAllOrders cancels every resting order of the symbol', async () => {
    const base = Number(bestBid()) - 1000;
    await ex.createOrder(SYMBOL, 'limit', 'buy', 0.001, base, { postOnly: true });
    await ex.createOrder(SYMBOL, 'limit', 'buy', 0.001, base - 10, { postOnly: true });
    expect((await ex.fetchOpenOrders(SYMBOL)).length).toBe(2);
    const cancelled = await ex.cancelAllOrders(SYMBOL);
    expect(cancelled.length).toBe(2);
    expect(await ex.fetchOpenOrders(SYMBOL)).toEqual([]);
  });

  it('setLeverage changes the position leverage; the same value again is Bybit\'s 110043', async () => {
    await ex.setLeverage(10, SYMBOL);
    expect(engine().position(facade.accountId, ENGINE_SYMBOL).leverage).toBe(10);
    await expect(ex.setLeverage(10, SYMBOL)).rejects.toThrow(/110043/);
  });

  it('a market order fills; fetchMyTrades, fetchPositions and fetchBalance show it; watchOrders and watchMyTrades both see the fill', async () => {
    const acks = privateSubscribeAcks(facade);
    const ordersSeen = ex.watchOrders(SYMBOL);
    const tradesSeen = ex.watchMyTrades(SYMBOL);
    await waitFor(() => acks() >= 2, 3_000, 'the order and execution topics subscribed');
    facade.setTap({});
    const created = await ex.createOrder(SYMBOL, 'market', 'buy', 0.003);
    const orders: Order[] = await ordersSeen;
    const trades: Trade[] = await tradesSeen;
    await waitFor(() => ex.orders?.some((o: Order) => o.id === created.id && o.status === 'closed') === true, 3_000, 'filled order on the order stream');
    expect(orders.length).toBeGreaterThan(0);
    expect(trades.some((t) => t.order === created.id)).toBe(true);
    const fill = trades.find((t) => t.order === created.id);
    expect(fill?.side).toBe('buy');
    expect(fill?.takerOrMaker).toBe('taker');
    expect(fill?.fee?.currency).toBe('USDT');

    const order = await ex.fetchOrder(idOf(created), SYMBOL, { acknowledged: true });
    expect(order.status).toBe('closed');
    expect(order.filled).toBe(0.003);
    expect(order.type).toBe('market');

    const mine = await ex.fetchMyTrades(SYMBOL);
    const engineFills = engine().fills(facade.accountId, { symbol: ENGINE_SYMBOL });
    expect(mine.filter((t) => t.order === created.id).length).toBe(engineFills.filter((f) => f.side === 'buy').length);

    const positions = await ex.fetchPositions([SYMBOL]);
    const pos = positions.find((p) => p.symbol === SYMBOL);
    expect(pos?.contracts).toBe(0.003);
    expect(pos?.side).toBe('long');
    expect(pos?.leverage).toBe(10);
    expect(pos?.entryPrice).toBe(Number(engine().position(facade.accountId, ENGINE_SYMBOL).entryPrice));

    const balance = await ex.fetchBalance();
    const b = engine().balance(facade.accountId);
    expect(balance['USDT']?.total).toBe(Number(b.wallet));
    expect(balance['USDT']?.free).toBe(Number(b.available));

    const closed = await ex.fetchClosedOrder(idOf(created), SYMBOL);
    expect(closed.status).toBe('closed');
  });
});
