import ccxt, { type Order } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimWorld, type SimWorldImpl } from '../../src/world.js';
import { type BybitFacade, startBybitFacade } from '../../src/facades/bybit/index.js';
import { type BybitPro, ccxtBybit } from './ccxt-client.js';
import { waitFor } from '../support/wait.js';
import { privateSubscribeAcks } from './private-subscribe-acks.js';

/** POST /v5/order/amend through an unmodified ccxt.pro.bybit's editOrder. */

const SYMBOL = 'BTC/USDT:USDT';
const ENGINE_SYMBOL = 'BTC-PERP';

describe('Bybit façade: Amend Order via ccxt editOrder', () => {
  let world: SimWorldImpl;
  let facade: BybitFacade;
  let ex: BybitPro;
  const internalErrors: unknown[] = [];
  const engine = () => world.venue('bybit');
  const bestBid = () => Number(engine().book(ENGINE_SYMBOL, 1).bids[0]?.[0]);
  const bestAsk = () => Number(engine().book(ENGINE_SYMBOL, 1).asks[0]?.[0]);

  beforeAll(async () => {
    world = createSimWorld({ seed: 12, venues: ['bybit'] });
    for (let i = 0; i < 20; i++) world.step();
    facade = await startBybitFacade({ world, onInternalError: (e) => internalErrors.push(e) });
    ex = await ccxtBybit(facade);
    await ex.loadMarkets();
  });

  afterAll(async () => {
    await ex?.close();
    await facade?.close();
    expect(internalErrors).toEqual([]);
  });

  it('editOrder by orderLinkId moves price and qty in place; the private order stream shows the new values', async () => {
    const acks = privateSubscribeAcks(facade);
    const ordersSeen = ex.watchOrders(SYMBOL);
    await waitFor(() => acks() >= 1, 3_000, 'the order topic subscribed');
    facade.setTap({});
    const created = await ex.createOrder(SYMBOL, 'limit', 'sell', 0.002, Math.round(bestAsk() + 300), { postOnly: true, clientOrderId: 'amend-y-1' });
    await ordersSeen;
    const edited = await ex.editOrder(undefined as unknown as string, SYMBOL, 'limit', 'sell', 0.003, Math.round(bestAsk() + 200), {
      clientOrderId: 'amend-y-1',
    });
    expect(edited.id).toBe(created.id);
    expect(edited.clientOrderId).toBe('amend-y-1');
    const open = engine().openOrders(facade.accountId, ENGINE_SYMBOL);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ clientOrderId: 'amend-y-1', qty: '0.003', tif: 'post_only' });
    const newPrice = Number(open[0]?.price);
    const streamed = () => [...((ex.orders ?? []) as Iterable<Order>)].find((o) => o.id === created.id);
    await waitFor(() => streamed()?.price === newPrice && streamed()?.amount === 0.003, 3_000, 'the amendment on the order stream');
    // By venue order id, qty only.
    await ex.editOrder(String(created.id), SYMBOL, 'limit', 'sell', 0.001);
    expect(engine().openOrders(facade.accountId, ENGINE_SYMBOL)[0]).toMatchObject({ qty: '0.001', price: String(newPrice) });
    await ex.cancelOrder(String(created.id), SYMBOL);
  });

  it("answers Bybit's errors: unknown order 110001, finished order 110008, crossing post-only refused with the order kept", async () => {
    await expect(
      ex.editOrder(undefined as unknown as string, SYMBOL, 'limit', 'buy', 0.002, Math.round(bestBid() - 300), { clientOrderId: 'nope' }),
    ).rejects.toThrow(ccxt.OrderNotFound);
    const price = Math.round(bestBid() - 300);
    await ex.createOrder(SYMBOL, 'limit', 'buy', 0.002, price, { postOnly: true, clientOrderId: 'amend-y-2' });
    await expect(
      ex.editOrder(undefined as unknown as string, SYMBOL, 'limit', 'buy', 0.002, Math.round(bestAsk() + 10), { clientOrderId: 'amend-y-2' }),
    ).rejects.toThrow(ccxt.BadRequest);
    expect(engine().getOrder(facade.accountId, ENGINE_SYMBOL, { clientOrderId: 'amend-y-2' })).toMatchObject({ status: 'new', price: String(price) });
    await ex.cancelOrder(undefined as unknown as string, SYMBOL, { orderLinkId: 'amend-y-2' });
    await expect(
      ex.editOrder(undefined as unknown as string, SYMBOL, 'limit', 'buy', 0.002, price - 10, { clientOrderId: 'amend-y-2' }),
    ).rejects.toThrow(ccxt.InvalidOrder);
  });
});
