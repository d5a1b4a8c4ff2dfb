import ccxt, { type Order } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BinanceFacade, startBinanceFacade } from '../../src/facades/binance/index.js';
import { type SimWorldImpl, createSimWorld } from '../../src/world.js';
import { type BinanceUsdm, ccxtBinanceUsdm } from './ccxt-client.js';
import { waitFor } from '../support/wait.js';

/** PUT /fapi/v1/order (Modify Order) through an unmodified ccxt.pro.binanceusdm's editOrder. */

const SYMBOL = 'BTC/USDT:USDT';
const SIM_SYMBOL = 'BTC-PERP';

describe('Binance façade: Modify Order via ccxt editOrder', () => {
  let world: SimWorldImpl;
  let facade: BinanceFacade;
  let ex: BinanceUsdm;
  const internalErrors: unknown[] = [];
  const engine = () => world.venue('binanceusdm');
  const bestBid = () => Number(engine().book(SIM_SYMBOL, 1).bids[0]?.[0]);
  const bestAsk = () => Number(engine().book(SIM_SYMBOL, 1).asks[0]?.[0]);

  beforeAll(async () => {
    world = createSimWorld({ seed: 5, venues: ['binanceusdm'] });
    for (let i = 0; i < 20; i++) world.step();
    facade = await startBinanceFacade({ world, onInternalError: (e) => internalErrors.push(e) });
    ex = await ccxtBinanceUsdm(facade);
    await ex.loadMarkets();
  });

  afterAll(async () => {
    await ex?.close();
    await facade?.close();
    expect(internalErrors).toEqual([]);
  });

  it('editOrder by origClientOrderId moves price and qty in place, and the user stream reports AMENDMENT', async () => {
    const ordersP = ex.watchOrders(SYMBOL);
    await waitFor(() => Object.values(ex.clients).some((c) => c.url.includes('listenKey=') && c.isConnected === true), 5_000, 'user stream');
    const price = Math.round(bestBid() - 300);
    const created = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.002, price, { postOnly: true, clientOrderId: 'amend-b-1' });
    await ordersP;
    const edited = await ex.editOrder(undefined as unknown as string, SYMBOL, 'limit', 'buy', 0.003, price - 10, { origClientOrderId: 'amend-b-1' });
    expect(edited.id).toBe(created.id);
    expect(edited.clientOrderId).toBe('amend-b-1');
    expect(edited.price).toBe(price - 10);
    expect(edited.amount).toBe(0.003);
    const open = engine().openOrders(facade.accountId, SIM_SYMBOL);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ orderId: created.id, clientOrderId: 'amend-b-1', price: String(price - 10), qty: '0.003', tif: 'post_only' });
    const streamed = () => [...((ex.orders ?? []) as Iterable<Order>)].find((o) => o.id === created.id);
    await waitFor(() => streamed()?.price === price - 10, 3_000, 'the amendment on the user stream');
    expect((streamed()?.info as Record<string, unknown>)['x']).toBe('AMENDMENT');
    // By venue id as well.
    const again = await ex.editOrder(String(created.id), SYMBOL, 'limit', 'buy', 0.002, price - 20);
    expect(again.price).toBe(price - 20);
    await ex.cancelOrder(String(created.id), SYMBOL);
  });

  it('answers the venue errors: unknown order -2013, no change -5027, crossing post-only -5022 (and the order is cancelled)', async () => {
    const price = Math.round(bestBid() - 300);
    await expect(ex.editOrder(undefined as unknown as string, SYMBOL, 'limit', 'buy', 0.002, price, { origClientOrderId: 'nope' })).rejects.toThrow(
      ccxt.OrderNotFound,
    );
    await ex.createOrder(SYMBOL, 'limit', 'buy', 0.002, price, { postOnly: true, clientOrderId: 'amend-b-2' });
    await expect(ex.editOrder(undefined as unknown as string, SYMBOL, 'limit', 'buy', 0.002, price, { origClientOrderId: 'amend-b-2' })).rejects.toThrow(
      /-5027/,
    );
    await expect(
      ex.editOrder(undefined as unknown as string, SYMBOL, 'limit', 'buy', 0.002, bestAsk() + 10, { origClientOrderId: 'amend-b-2' }),
    ).rejects.toThrow(ccxt.OrderNotFillable);
    // Binance: "the order will be cancelled by the amendment" when a GTX order would take.
    expect(engine().getOrder(facade.accountId, SIM_SYMBOL, { clientOrderId: 'amend-b-2' })?.status).toBe('canceled');
    expect(engine().openOrders(facade.accountId, SIM_SYMBOL)).toHaveLength(0);
  });
});
