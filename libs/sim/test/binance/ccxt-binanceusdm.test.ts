import ccxt, { type Num, type Order } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimBookSnapshot } from '../../src/engine/types.js';
import { BINANCE_DEMO_API_KEY, BINANCE_DEMO_API_SECRET, type BinanceFacade, startBinanceFacade } from '../../src/facades/binance/index.js';
import { type SimWorldImpl, createSimWorld } from '../../src/world.js';
import { type BinanceUsdm, ccxtBinanceUsdm } from './ccxt-client.js';
import { stepUntilSettled, waitFor } from '../support/wait.js';

/**
 * The acceptance run: an unmodified ccxt.pro.binanceusdm, redirected only by URL settings and a
 * fetch that rewrites the origin, trades against the façade with the demo keys.
 */

const SYMBOL = 'BTC/USDT:USDT';
const SIM_SYMBOL = 'BTC-PERP';
const TOP = 20;
/** The diff-depth stream in any of its rate variants (ccxt asks for btcusdt@depth@100ms). */
const DIFF_STREAM = /^btcusdt@depth(@\d+ms)?$/;

type Level = [number, number];

/** Levels as numbers, so ccxt's floats and the engine's decimal text compare exactly (both parse to one double). */
const numeric = (levels: ReadonlyArray<readonly [string, string]>): Level[] => levels.map(([p, q]) => [Number(p), Number(q)]);

/** The top `n` levels of one side of a ccxt book. */
const ccxtLevels = (side: ReadonlyArray<readonly [Num, Num]> | undefined, n: number): Level[] =>
  (side ?? []).slice(0, n).map(([p, q]) => [Number(p), Number(q)]);

describe('ccxt.pro.binanceusdm against the Binance façade', () => {
  let world: SimWorldImpl;
  let facade: BinanceFacade;
  let ex: BinanceUsdm;
  const internalErrors: unknown[] = [];

  const engine = () => world.venue('binanceusdm');
  const book = (depth = TOP): SimBookSnapshot => engine().book(SIM_SYMBOL, depth);
  const bestBid = () => Number(book(1).bids[0]?.[0]);
  const bestAsk = () => Number(book(1).asks[0]?.[0]);
  const openOrders = () => engine().openOrders(facade.accountId, SIM_SYMBOL);

  beforeAll(async () => {
    world = createSimWorld({ seed: 7, clock: 'wall', venues: ['binanceusdm'], stepMs: 10 });
    facade = await startBinanceFacade({ world, onInternalError: (e) => internalErrors.push(e) });
    ex = await ccxtBinanceUsdm(facade);
  });

  afterAll(async () => {
    world?.stop();
    await ex?.close();
    await facade?.close();
  });

  it('loadMarkets lists the engine instruments with their tick, lot and minimums', async () => {
    // The client trades with the façade's published demo keys, nothing configured per test.
    expect(ex.apiKey).toBe(BINANCE_DEMO_API_KEY);
    expect(ex.secret).toBe(BINANCE_DEMO_API_SECRET);
    const markets = await ex.loadMarkets();
    const m = markets[SYMBOL];
    const inst = engine().instrument(SIM_SYMBOL);
    expect(m).toBeDefined();
    expect(inst).toBeDefined();
    expect(m?.id).toBe('BTCUSDT');
    expect(m?.swap).toBe(true);
    expect(m?.linear).toBe(true);
    expect(m?.settle).toBe('USDT');
    expect(m?.precision.price).toBe(Number(inst?.tickSize));
    expect(m?.precision.amount).toBe(Number(inst?.lotSize));
    expect(m?.limits.amount?.min).toBe(Number(inst?.minQty));
    expect(m?.limits.cost?.min).toBe(Number(inst?.minNotional));
    expect(markets['ETH/USDT:USDT']).toBeDefined();
  });

  it('fetchTicker reports the last trade and the mark', async () => {
    // A few steps of background flow so there are trades to report.
    for (let i = 0; i < 200 && engine().recentTrades(SIM_SYMBOL, 1).length === 0; i++) world.step();
    const t = await ex.fetchTicker(SYMBOL);
    const last = engine().recentTrades(SIM_SYMBOL, 1)[0];
    expect(t.symbol).toBe(SYMBOL);
    expect(last).toBeDefined();
    expect(t.last).toBe(Number(last?.price));
    expect(t.info['symbol']).toBe('BTCUSDT');
  });

  it('fetchOrderBook equals the engine book at the same update id', async () => {
    const ob = await ex.fetchOrderBook(SYMBOL, 100);
    const sim = book(100);
    expect(ob.nonce).toBe(sim.lastUpdateId);
    expect(ccxtLevels(ob.bids, 100)).toEqual(numeric(sim.bids));
    expect(ccxtLevels(ob.asks, 100)).toEqual(numeric(sim.asks));
    expect(ob.bids.length).toBeGreaterThan(0);
  });

  it('watchOrderBook equals the engine book after 100 diff updates', async () => {
    let diffFrames = 0;
    facade.setTap({
      ws: (f) => {
        if (f.stream !== undefined && DIFF_STREAM.test(f.stream)) diffFrames++;
        return { kind: 'pass' };
      },
    });
    try {
      const first = await stepUntilSettled(world, ex.watchOrderBook(SYMBOL));
      const startNonce = first.nonce ?? 0;
      const framesAtSnapshot = diffFrames;
      world.start(5);
      // ccxt applies every frame as it arrives, whether or not a watch call is pending.
      await waitFor(() => diffFrames - framesAtSnapshot >= 100, 20_000, '100 depth updates');
      const live = await ex.watchOrderBook(SYMBOL);
      expect(live.nonce ?? 0).toBeGreaterThan(startNonce);
      // Freeze the world, then let the last diff in flight reach ccxt so both sit at one update id.
      world.stop();
      const simAfter = book().lastUpdateId;
      const local = () => ex.orderbooks[SYMBOL];
      await waitFor(() => local()?.nonce === simAfter, 5_000, 'ccxt book to reach the engine update id');
      const ob = local();
      const sim = book(TOP);
      expect(sim.lastUpdateId).toBe(simAfter);
      expect(ob?.nonce).toBe(sim.lastUpdateId);
      expect(ob?.nonce ?? 0).toBeGreaterThan(startNonce);
      expect(ccxtLevels(ob?.bids, TOP)).toEqual(numeric(sim.bids));
      expect(ccxtLevels(ob?.asks, TOP)).toEqual(numeric(sim.asks));
      expect(sim.bids.length).toBe(TOP);
      expect(sim.asks.length).toBe(TOP);
    } finally {
      world.stop();
      facade.setTap({});
    }
  });

  it('watchTrades delivers the engine trades', async () => {
    const trades = await stepUntilSettled(world, ex.watchTrades(SYMBOL), 10_000);
    expect(trades.length).toBeGreaterThan(0);
    const t = trades[trades.length - 1];
    const sim = engine()
      .recentTrades(SIM_SYMBOL, 1000)
      .find((x) => x.tradeId === t?.id);
    expect(sim).toBeDefined();
    expect(t?.symbol).toBe(SYMBOL);
    expect(t?.price).toBe(Number(sim?.price));
    expect(t?.amount).toBe(Number(sim?.qty));
    expect(t?.side).toBe(sim?.side);
  });

  it('createOrder limit post-only rests; a crossing post-only is rejected', async () => {
    const price = ex.priceToPrecision(SYMBOL, bestBid() * 0.99);
    const o = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.002, Number(price), { postOnly: true });
    expect(o.status).toBe('open');
    expect(o.postOnly).toBe(true);
    const resting = openOrders();
    expect(resting.map((r) => r.orderId)).toContain(o.id);
    expect(resting.find((r) => r.orderId === o.id)?.tif).toBe('post_only');

    const crossing = Number(ex.priceToPrecision(SYMBOL, bestAsk() * 1.001));
    await expect(ex.createOrder(SYMBOL, 'limit', 'buy', 0.002, crossing, { postOnly: true })).rejects.toBeInstanceOf(
      ccxt.OrderNotFillable,
    );
    expect(openOrders().map((r) => r.orderId)).toEqual([o.id]);
  });

  it('fetchOpenOrders and fetchOrder return the resting order', async () => {
    const [resting] = openOrders();
    expect(resting).toBeDefined();
    const open = await ex.fetchOpenOrders(SYMBOL);
    expect(open.map((o) => o.id)).toEqual([resting?.orderId]);
    const o = await ex.fetchOrder(resting?.orderId ?? '', SYMBOL);
    expect(o.status).toBe('open');
    expect(o.price).toBe(Number(resting?.price));
    expect(o.amount).toBe(Number(resting?.qty));
    expect(o.side).toBe('buy');
    expect(o.clientOrderId).toBe(resting?.clientOrderId);
  });

  it('cancelOrder cancels it on the engine', async () => {
    const [resting] = openOrders();
    const c = await ex.cancelOrder(resting?.orderId ?? '', SYMBOL);
    expect(c.id).toBe(resting?.orderId);
    expect(c.status).toBe('canceled');
    expect(openOrders()).toEqual([]);
    const after = await ex.fetchOrder(resting?.orderId ?? '', SYMBOL);
    expect(after.status).toBe('canceled');
  });

  it('cancelAllOrders cancels every open order of the symbol', async () => {
    for (const f of [0.98, 0.97]) {
      await ex.createOrder(SYMBOL, 'limit', 'buy', 0.002, Number(ex.priceToPrecision(SYMBOL, bestBid() * f)), { postOnly: true });
    }
    expect(openOrders()).toHaveLength(2);
    await ex.cancelAllOrders(SYMBOL);
    expect(openOrders()).toEqual([]);
    expect(await ex.fetchOpenOrders(SYMBOL)).toEqual([]);
  });

  it('createOrder market fills, and the fill arrives on watchOrders and watchMyTrades', async () => {
    const ordersP = ex.watchOrders(SYMBOL);
    const tradesP = ex.watchMyTrades(SYMBOL);
    // The user stream is keyed by the URL's listen key: wait until that connection is open.
    await waitFor(
      () => Object.values(ex.clients).some((c) => c.url.includes('listenKey=') && c.isConnected === true),
      5_000,
      'user-data stream connection',
    );
    const placed = await ex.createOrder(SYMBOL, 'market', 'buy', 0.003);
    expect(placed.id).toBeTypeOf('string');
    const placedId = String(placed.id);
    const [orders, myTrades] = await Promise.all([ordersP, tradesP]);

    const fills = engine().fills(facade.accountId, { symbol: SIM_SYMBOL }).filter((f) => f.orderId === placedId);
    expect(fills.length).toBeGreaterThan(0);
    expect(orders.map((x) => x.id)).toContain(placedId);
    // watchOrders resolves on the first update (NEW); the TRADE update follows on the same stream.
    // ccxt's order cache is fed only by the user stream, so the fill is there once it arrived.
    const streamed = () => [...((ex.orders ?? []) as Iterable<Order>)].find((x) => x.id === placedId);
    await waitFor(() => streamed()?.filled === 0.003, 3_000, 'the fill on watchOrders');
    const o = streamed();
    expect(o?.symbol).toBe(SYMBOL);
    expect(o?.type).toBe('market');
    expect(o?.status).toBe('closed');
    expect(o?.average).toBe(Number(engine().getOrder(facade.accountId, SIM_SYMBOL, { orderId: placedId })?.avgFillPrice));
    const t = myTrades.find((x) => x.order === placedId);
    expect(t).toBeDefined();
    expect(t?.id).toBe(fills[0]?.tradeId);
    expect(t?.price).toBe(Number(fills[0]?.price));
    expect(t?.amount).toBe(Number(fills[0]?.qty));
    expect(t?.takerOrMaker).toBe('taker');

    const final = await ex.fetchOrder(placedId, SYMBOL);
    expect(final.status).toBe('closed');
    expect(final.filled).toBe(0.003);
  });

  it('fetchMyTrades lists the fills of the market order', async () => {
    const sim = engine().fills(facade.accountId, { symbol: SIM_SYMBOL });
    const mine = await ex.fetchMyTrades(SYMBOL);
    expect(mine.map((t) => t.id)).toEqual(sim.map((f) => f.tradeId));
    expect(mine.map((t) => t.price)).toEqual(sim.map((f) => Number(f.price)));
    expect(mine.map((t) => t.fee?.cost)).toEqual(sim.map((f) => Number(f.fee)));
    expect(mine.reduce((s, t) => s + (t.amount ?? 0), 0)).toBeCloseTo(0.003, 9);
  });

  it('fetchPositions shows the long position', async () => {
    const sim = engine().position(facade.accountId, SIM_SYMBOL);
    const positions = await ex.fetchPositions([SYMBOL]);
    const p = positions.find((x) => x.symbol === SYMBOL);
    expect(p).toBeDefined();
    expect(p?.side).toBe('long');
    expect(p?.contracts).toBe(0.003);
    expect(p?.entryPrice).toBe(Number(sim.entryPrice));
  });

  it('fetchBalance reports the engine balance', async () => {
    const sim = engine().balance(facade.accountId);
    const b = await ex.fetchBalance();
    const usdt = b['USDT'] as { free?: number; used?: number; total?: number } | undefined;
    expect(usdt?.free).toBe(Number(sim.available));
    expect(usdt?.total).toBe(Number(sim.equity));
  });

  it('setLeverage changes the engine leverage; an invalid one is refused', async () => {
    const r = (await ex.setLeverage(20, SYMBOL)) as Record<string, unknown>;
    expect(r['leverage']).toBe(20);
    expect(engine().position(facade.accountId, SIM_SYMBOL).leverage).toBe(20);
    await expect(ex.setLeverage(1000, SYMBOL)).rejects.toBeInstanceOf(ccxt.BadRequest);
    expect(engine().position(facade.accountId, SIM_SYMBOL).leverage).toBe(20);
  });

  it('raised no internal error', () => {
    expect(internalErrors).toEqual([]);
  });
});
