import { D } from '@perpetua/core';
import type { Order, OrderBook, Trade } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { okxBookChecksum, startOkxFacade, type OkxFacade } from '../../src/facades/okx/index.js';
import { createSimWorld, type SimWorldImpl } from '../../src/world.js';
import { countSentFrames, frameJson } from '../support/sent-frames.js';
import { stepUntilSettled, waitFor } from '../support/wait.js';
import { ccxtOkx, type OkxPro } from './ccxt-client.js';

const SYMBOL = 'BTC/USDT:USDT';
const ENGINE_SYMBOL = 'BTC-PERP';
/** BTC-USDT-SWAP: one contract is 0.01 BTC. */
const CT_VAL = 0.01;

function idOf(o: Order): string {
  if (o.id === undefined) throw new Error('order without id');
  return o.id;
}

/** The checksum of ccxt's book as OKX computes it (top 25 a side, price:size interleaved), from ccxt's numbers. */
function checksumOf(ob: OrderBook): number {
  const side = (levels: ReadonlyArray<ReadonlyArray<number | undefined>>) => levels.slice(0, 25).map(([p, q]) => [String(p), String(q)] as const);
  return okxBookChecksum(side(ob.bids), side(ob.asks));
}

/** An unmodified ccxt.pro.okx (default options, keys only) against the OKX façade: the acceptance list of issue 25. */
describe('ccxt.pro.okx against the OKX façade', () => {
  let world: SimWorldImpl;
  let facade: OkxFacade;
  let ex: OkxPro;
  const internalErrors: unknown[] = [];

  beforeAll(async () => {
    world = createSimWorld({ seed: 25, venues: ['okx'] });
    for (let i = 0; i < 20; i++) world.step();
    facade = await startOkxFacade({ world, onInternalError: (e) => internalErrors.push(e) });
    ex = await ccxtOkx(facade);
  });

  afterAll(async () => {
    await ex?.close();
    await facade?.close();
    expect(internalErrors).toEqual([]);
  });

  const engine = () => world.venue('okx');
  const bestBid = () => Number(engine().book(ENGINE_SYMBOL, 1).bids[0]?.[0] ?? '0');
  const bestAsk = () => Number(engine().book(ENGINE_SYMBOL, 1).asks[0]?.[0] ?? '0');

  it('loadMarkets (every instrument type a default client asks for) lists the linear swaps in contracts', async () => {
    const markets = await ex.loadMarkets();
    const btc = markets[SYMBOL];
    expect(btc).toMatchObject({ id: 'BTC-USDT-SWAP', swap: true, linear: true, contract: true, contractSize: CT_VAL, settle: 'USDT' });
    expect(btc?.precision.amount).toBe(0.01);
    expect(btc?.precision.price).toBe(0.1);
    expect(btc?.limits.amount?.min).toBe(0.01);
    expect(markets['ETH/USDT:USDT']?.contractSize).toBe(0.1);
    expect(Object.values(markets).every((m) => m?.swap)).toBe(true); // no spot, futures or options served
  });

  it('fetchTicker and fetchOrderBook show the engine book in contracts', async () => {
    const t = await ex.fetchTicker(SYMBOL);
    expect(t.bid).toBe(bestBid());
    expect(t.ask).toBe(bestAsk());
    const ob = await ex.fetchOrderBook(SYMBOL, 25);
    const book = engine().book(ENGINE_SYMBOL, 25);
    // Sizes are contracts: the engine's base units over ctVal, exactly (the wire carries decimal text).
    const contracts = (q: string) => Number(D.toText(D.div(D.dec(q), D.dec(String(CT_VAL)))));
    expect(ob.bids.map(([p, q]) => [p, q])).toEqual(book.bids.map(([p, q]) => [Number(p), contracts(q)]));
    expect(ob.asks.map(([p, q]) => [p, q])).toEqual(book.asks.map(([p, q]) => [Number(p), contracts(q)]));
  });

  it('watchOrderBook x 20: every update chains by seqId and its checksum matches the book ccxt holds', async () => {
    const checksums: number[] = [];
    const handler = (ex as unknown as { handleOrderBook: (c: unknown, m: unknown) => unknown }).handleOrderBook.bind(ex);
    (ex as unknown as { handleOrderBook: (c: unknown, m: unknown) => unknown }).handleOrderBook = (client, message) => {
      const d = (message as { data?: Array<{ checksum?: number }> }).data?.[0];
      if (typeof d?.checksum === 'number') checksums.push(d.checksum);
      return handler(client, message);
    };
    let ob = await ex.watchOrderBook(SYMBOL);
    expect(checksumOf(ob)).toBe(checksums[checksums.length - 1]);
    for (let i = 0; i < 20; i++) {
      const before = checksums.length;
      ob = await stepUntilSettled(world, ex.watchOrderBook(SYMBOL));
      await waitFor(() => checksums.length > before, 2_000, 'a books message');
      // ccxt resolves per message; the book it returns is the one after the last message it applied.
      expect(checksumOf(ob)).toBe(checksums[checksums.length - 1]);
    }
    expect(checksums.length).toBeGreaterThanOrEqual(21);
  });

  it('watchTrades delivers public trades in contracts', async () => {
    const trades = await stepUntilSettled(world, ex.watchTrades(SYMBOL), 10_000);
    const t = trades[trades.length - 1] as Trade;
    expect(t.symbol).toBe(SYMBOL);
    expect(t.price).toBeGreaterThan(0);
    expect(t.amount).toBeGreaterThan(0);
  });

  it('fetchBalance and fetchPositions answer for the trading account', async () => {
    const b = await ex.fetchBalance();
    expect(b['USDT']?.total).toBe(Number(engine().balance(facade.accountId).equity));
    expect(await ex.fetchPositions()).toEqual([]);
  });

  it('creates, amends, fetches and cancels an order by client id, and watchOrders sees each step', async () => {
    const seen: Order[] = [];
    // The façade adds the channel before it replies, so once the reply is out the order events reach ccxt.
    const subscribed = countSentFrames(facade, (f) => {
      const reply = f.stream === undefined ? frameJson(f) : undefined;
      return reply?.['event'] === 'subscribe' && (reply['arg'] as { channel?: unknown } | undefined)?.channel === 'orders';
    });
    const watching = (async () => {
      for (;;) {
        const batch = await ex.watchOrders(SYMBOL).catch(() => undefined);
        if (!batch) return;
        seen.push(...batch.map((o) => ({ ...o }))); // ccxt's cache updates its entries in place
        if (batch.some((o) => o.clientOrderId === 'accOkx1' && o.status === 'canceled')) return;
      }
    })();
    await waitFor(() => subscribed() >= 1, 3_000, 'the login and the orders channel subscribed');
    facade.setTap({});
    const price = bestBid() - 500;
    const created = await ex.createOrder(SYMBOL, 'limit', 'buy', 5, price, { postOnly: true, clientOrderId: 'accOkx1' });
    expect(created.id).toBeTruthy();
    // 5 contracts of 0.01 BTC rest on the engine as 0.05 BTC.
    expect(engine().openOrders(facade.accountId, ENGINE_SYMBOL).map((o) => o.qty)).toEqual(['0.05']);
    const edited = await ex.editOrder('', SYMBOL, 'limit', 'buy', 7, price - 10, { clientOrderId: 'accOkx1' });
    expect(edited.id).toBe(created.id);
    const fetched = await ex.fetchOrder('', SYMBOL, { clientOrderId: 'accOkx1' });
    expect(fetched).toMatchObject({ id: created.id, clientOrderId: 'accOkx1', status: 'open', amount: 7, price: price - 10 });
    await ex.cancelOrder('', SYMBOL, { clientOrderId: 'accOkx1' });
    const after = await ex.fetchOrder('', SYMBOL, { clientOrderId: 'accOkx1' });
    expect(after.status).toBe('canceled');
    await watching;
    const mine = seen.filter((o) => o.clientOrderId === 'accOkx1');
    expect(mine.map((o) => o.status)).toContain('open');
    expect(mine.some((o) => o.amount === 7)).toBe(true);
    expect(mine[mine.length - 1]?.status).toBe('canceled');
  });

  it('a taker order fills; fetchMyTrades and fetchPositions show it in contracts (position x ctVal = the engine position)', async () => {
    const created = await ex.createOrder(SYMBOL, 'market', 'buy', 3, undefined, { clientOrderId: 'accOkxTaker' });
    await waitFor(() => engine().position(facade.accountId, ENGINE_SYMBOL).qty !== '0', 3_000, 'the fill');
    const trades = await ex.fetchMyTrades(SYMBOL);
    const mine = trades.filter((t) => t.order === created.id);
    expect(mine.reduce((s, t) => s + (t.amount ?? 0), 0)).toBeCloseTo(3, 9);
    expect(mine[0]?.fee?.cost).toBeGreaterThan(0); // ccxt turns OKX's negative (charged) fee into a cost
    const [pos] = await ex.fetchPositions([SYMBOL]);
    expect(pos?.contracts).toBe(3);
    expect(pos?.side).toBe('long');
    expect(Number(engine().position(facade.accountId, ENGINE_SYMBOL).qty)).toBeCloseTo(3 * CT_VAL, 12);
  });

  it('a crossing post-only order is accepted and cancelled at once (cancelSource 31)', async () => {
    const created = await ex.createOrder(SYMBOL, 'limit', 'buy', 1, bestAsk() + 10, { postOnly: true, clientOrderId: 'accOkxCross' });
    const o = await ex.fetchOrder(idOf(created), SYMBOL);
    expect(o.status).toBe('canceled');
    expect((o.info as Record<string, unknown>)['cancelSource']).toBe('31');
  });
});
