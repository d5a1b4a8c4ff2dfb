import { afterEach, describe, expect, it } from 'vitest';
import { snapPrice, type Fill, type OrderEvent } from '@perpetua/core';
import { createSimWorld, startBinanceFacade, startBybitFacade, startOkxFacade, type FacadeTap, type SimWorldImpl, type TapRestRequest } from '@perpetua/sim';
import { BadResponse, ExchangeNotAvailable, InsufficientFunds, InvalidOrder, OrderNotFound, RateLimitExceeded, RequestTimeout } from 'ccxt';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { CcxtTrading } from '../../src/ccxt/ccxt-trading.js';
import { classifyCcxtError } from '../../src/ccxt/ccxt-trading-errors.js';
import type { VenueOrderRequest } from '../../src/venue-adapter.js';
import { untilOrderStreamLive } from './until-order-stream-live.js';

/** The real ccxt trading adapter against the simulator's Binance USD-M, Bybit and OKX façades, pointed at them by base URL only. */

interface Facade {
  restUrl: string;
  credentials: { apiKey: string; secret: string; password?: string };
  accountId: string;
  setTap(tap: FacadeTap): void;
  close(): Promise<void>;
}

const VENUES = [
  { id: 'binanceusdm', start: startBinanceFacade, orderPath: '/fapi/v1/order', offLot: { qty: '0.0015', reason: /qty 0\.0015 is not on the venue's step 0\.001/ } },
  { id: 'bybit', start: startBybitFacade, orderPath: '/v5/order/create', offLot: { qty: '0.0015', reason: /qty 0\.0015 is not on the venue's step 0\.001/ } },
  // OKX: 0.01 BTC a contract, 0.01 contract a step: 0.0001 BTC; 0.00015 BTC is 0.015 contracts.
  { id: 'okx', start: startOkxFacade, orderPath: '/api/v5/trade/batch-orders', offLot: { qty: '0.00015', reason: /qty 0\.00015 is not a whole number of contract steps/ } },
] as const;

let world: SimWorldImpl | undefined;
let facade: Facade | undefined;
let adapter: CcxtTrading | undefined;
let invalid: string[] = [];

afterEach(async () => {
  world?.stop();
  await adapter?.close();
  await facade?.close();
  world = facade = adapter = undefined;
  invalid = [];
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let seq = 0;
/** Letters and digits only: OKX's rule for client order ids (1-32 of them), which the others accept too. */
const cid = (tag: string) => `t${tag.replace(/[^A-Za-z0-9]/g, '')}${process.pid}n${++seq}`;

async function setup(v: (typeof VENUES)[number], requestTimeoutMs?: number) {
  world = createSimWorld({ seed: 7, clock: 'wall', venues: [v.id] });
  world.start(20);
  const f: Facade = await v.start({ world });
  facade = f;
  const a = new CcxtTrading({
    venue: v.id,
    account: 'acct-1',
    connection: { exchangeId: v.id, apiKey: f.credentials.apiKey, secret: f.credentials.secret, password: f.credentials.password, restBaseUrl: f.restUrl, wsBaseUrl: f.restUrl.replace(/^http/, 'ws'), enableRateLimit: false },
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    onInvalid: (kind, detail) => invalid.push(`${kind}: ${detail}`),
  });
  adapter = a;
  const instruments = await a.instruments();
  const engine = world.venue(v.id);
  const tick = (symbol: string) => instruments.find((i) => i.symbol === symbol)!.tickSize;
  const touch = (symbol: string) => {
    const b = engine.book(symbol, 1);
    return { bid: Number(b.bids[0]![0]), ask: Number(b.asks[0]![0]) };
  };
  return {
    a,
    f,
    engine,
    /** A buy 2% under the bid: rests. */
    restingBuy: (symbol: string) => snapPrice({ tickSize: tick(symbol) }, 'buy', touch(symbol).bid * 0.98),
    /** A buy 10% under the bid: rests, far from anything else. */
    farBuy: (symbol: string) => snapPrice({ tickSize: tick(symbol) }, 'buy', touch(symbol).bid * 0.9),
    /** A buy 1% over the ask: crosses. */
    crossingBuy: (symbol: string) => snapPrice({ tickSize: tick(symbol) }, 'buy', touch(symbol).ask * 1.01),
    engineOpen: (clientOrderId: string) => engine.openOrders(f.accountId).filter((o) => o.clientOrderId === clientOrderId),
  };
}

const postOnlyBuy = (clientOrderId: string, price: string, symbol = 'BTC-PERP', qty = '0.002'): VenueOrderRequest => ({
  clientOrderId,
  symbol,
  side: 'buy',
  type: 'limit',
  price,
  qty,
  tif: 'post_only',
  reduceOnly: false,
});

const marketBuy = (clientOrderId: string, qty = '0.003'): VenueOrderRequest => ({
  clientOrderId,
  symbol: 'BTC-PERP',
  side: 'buy',
  type: 'market',
  qty,
  tif: 'ioc',
  reduceOnly: false,
});

/** Sends a request the tap intercepted on to the façade itself (marked, so the tap lets it pass): the venue acts on it. */
async function forward(restUrl: string, r: TapRestRequest): Promise<void> {
  const headers: Record<string, string> = { 'x-test-forwarded': '1' };
  for (const [k, val] of Object.entries(r.headers)) if (typeof val === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = val;
  const res = await fetch(`${restUrl}${r.path}${r.query ? `?${r.query}` : ''}`, { method: r.method, headers, ...(r.body ? { body: r.body } : {}) });
  await res.text();
}

describe.each(VENUES)('ccxt trading ($id, against the simulator)', (v) => {
  it('rests a post-only order under our client id, rejects a crossing one, cancels by client id and cancels all', async () => {
    const { a, engineOpen, restingBuy, crossingBuy } = await setup(v);
    const id = cid('rest');
    const price = restingBuy('BTC-PERP');
    expect(await a.placeOrder(postOnlyBuy(id, price))).toMatchObject({ status: 'accepted', orderStatus: 'new' });
    expect(await a.openOrders('BTC-PERP')).toContainEqual(
      expect.objectContaining({ clientOrderId: id, symbol: 'BTC-PERP', side: 'buy', price, qty: '0.002', filledQty: '0', status: 'new' }),
    );

    const crossId = cid('cross');
    const crossed = await a.placeOrder(postOnlyBuy(crossId, crossingBuy('BTC-PERP')));
    expect(crossed.status).toBe('rejected');
    expect(crossed.status === 'rejected' && crossed.reason).toMatch(/post.?only/i);
    expect(engineOpen(crossId)).toEqual([]);

    expect(await a.cancelOrder('BTC-PERP', id)).toBe(true);
    expect(await a.cancelOrder('BTC-PERP', id)).toBe(false);
    expect(engineOpen(id)).toEqual([]);

    for (let i = 0; i < 3; i++) expect((await a.placeOrder(postOnlyBuy(cid('all'), restingBuy('BTC-PERP')))).status).toBe('accepted');
    expect((await a.placeOrder(postOnlyBuy(cid('eth'), restingBuy('ETH-PERP'), 'ETH-PERP', '0.01'))).status).toBe('accepted');
    expect(await a.cancelAll('BTC-PERP')).toBe(3);
    expect(await a.cancelAll()).toBe(1);
    expect(await a.openOrders()).toEqual([]);
    expect(invalid).toEqual([]);
  });

  it('a marketable order fills: each fill arrives once with the engine price, qty and fee; the order reaches filled; positions and balance match the engine', async () => {
    const { a, f, engine, farBuy } = await setup(v);
    const fills: Fill[] = [];
    const events: OrderEvent[] = [];
    await a.start({ onFill: (x) => fills.push(x), onOrderEvent: (e) => events.push(e) });
    await untilOrderStreamLive(a, events, farBuy('BTC-PERP'), cid);
    const id = cid('mkt');
    const placed = await a.placeOrder(marketBuy(id));
    expect(placed.status).toBe('accepted');
    await waitUntil(() => events.some((e) => e.clientOrderId === id && e.status === 'filled') && fills.some((x) => x.clientOrderId === id), 5_000, 'the fill and the filled order');
    world!.stop();
    const [fillsSeen, eventsSeen] = [fills.length, events.length];
    await holdsFor(() => fills.length === fillsSeen && events.length === eventsSeen, 300, 'nothing repeated', 10);

    const engineFills = engine.fills(f.accountId, { symbol: 'BTC-PERP' }).filter((x) => x.clientOrderId === id);
    const mine = fills.filter((x) => x.clientOrderId === id);
    expect(engineFills.length).toBeGreaterThan(0);
    expect(mine.map((x) => [x.price, x.qty, x.fee, x.liquidity, x.side])).toEqual(engineFills.map((x) => [x.price, x.qty, x.fee, x.liquidity, x.side]));
    expect(new Set(mine.map((x) => x.fillId)).size).toBe(mine.length);
    for (const x of mine) expect(x).toMatchObject({ venue: v.id, account: 'acct-1', symbol: 'BTC-PERP' });
    if (v.id === 'binanceusdm') expect(mine.map((x) => x.fillId)).toEqual(engineFills.map((x) => `BTC-PERP:${x.tradeId}:taker`));

    const filled = events.filter((e) => e.clientOrderId === id && e.status === 'filled');
    expect(filled).toHaveLength(1);
    expect(filled[0]).toMatchObject({ venue: v.id, account: 'acct-1', symbol: 'BTC-PERP', side: 'buy', qty: '0.003', filledQty: '0.003' });

    const pos = engine.position(f.accountId, 'BTC-PERP');
    expect(await a.positions()).toEqual([{ symbol: 'BTC-PERP', qty: pos.qty, avgEntry: pos.entryPrice }]);
    const bal = engine.balance(f.accountId);
    expect(await a.balance()).toEqual([{ asset: 'USDT', total: bal.wallet, available: bal.available, equity: bal.equity }]);
    expect(invalid).toEqual([]);
  });

  it('fillsSince lists every fill at or after a time, across history pages (Bybit: 100 a page, newest first), with the stream\'s fill ids', async () => {
    const { a, f, engine, farBuy } = await setup(v);
    const streamed: Fill[] = [];
    const events: OrderEvent[] = [];
    await a.start({ onFill: (x) => streamed.push(x), onOrderEvent: (e) => events.push(e) });
    await untilOrderStreamLive(a, events, farBuy('BTC-PERP'), cid);
    // Fills on the account straight through the engine, spread over time (history pages by time): more than a Bybit page.
    let n = 0;
    while (engine.fills(f.accountId, { symbol: 'BTC-PERP', limit: 100_000 }).length < 260) {
      engine.placeOrder({ accountId: f.accountId, symbol: 'BTC-PERP', side: n++ % 2 === 0 ? 'buy' : 'sell', type: 'market', qty: '0.001', tif: 'ioc' });
      if (n % 3 === 0) await sleep(2);
    }
    const truth = engine.fills(f.accountId, { symbol: 'BTC-PERP', limit: 100_000 });
    await waitUntil(() => streamed.length >= truth.length, 20_000, 'every fill on the stream');

    const all = await a.fillsSince(truth[0]!.ts);
    expect(all.map((x) => x.fillId)).toEqual(expect.arrayContaining(streamed.map((x) => x.fillId)));
    expect(new Set(all.map((x) => x.fillId)).size).toBe(all.length);
    expect(all).toHaveLength(truth.length);
    if (v.id === 'binanceusdm') expect(all.map((x) => x.fillId).sort()).toEqual(truth.map((x) => `BTC-PERP:${x.tradeId}:${x.liquidity}`).sort());
    // From a time in the middle: exactly the fills at or after it.
    const mid = truth[Math.floor(truth.length / 2)]!.ts;
    const later = await a.fillsSince(mid, ['BTC-PERP']);
    expect(later).toHaveLength(truth.filter((x) => x.ts >= mid).length);
    expect(later.every((x) => x.tsExchange >= mid)).toBe(true);
    expect(invalid).toEqual([]);
  }, 60_000);

  it('queryOrder by client id finds open and closed orders; an unknown id is undefined', async () => {
    const { a, restingBuy } = await setup(v);
    const id = cid('q');
    const price = restingBuy('BTC-PERP');
    await a.placeOrder(postOnlyBuy(id, price));
    expect(await a.queryOrder('BTC-PERP', id)).toMatchObject({ clientOrderId: id, side: 'buy', price, qty: '0.002', filledQty: '0', status: 'new' });
    await a.cancelOrder('BTC-PERP', id);
    expect(await a.queryOrder('BTC-PERP', id)).toMatchObject({ clientOrderId: id, status: 'canceled' });

    const mkt = cid('qm');
    await a.placeOrder(marketBuy(mkt));
    expect(await a.queryOrder('BTC-PERP', mkt)).toMatchObject({ clientOrderId: mkt, qty: '0.003', filledQty: '0.003', status: 'filled' });
    expect(await a.queryOrder('BTC-PERP', cid('never'))).toBeUndefined();
  });

  it('a place that times out is unknown, and queryOrder tells whether the venue took it', async () => {
    const { a, f, engineOpen, restingBuy } = await setup(v, 500);
    // The request never reaches the engine: unknown, and the query finds nothing.
    f.setTap({ rest: (r) => (r.method === 'POST' && r.path === v.orderPath ? { kind: 'hang' } : { kind: 'pass' }) });
    const lost = cid('lost-request');
    const first = await a.placeOrder(postOnlyBuy(lost, restingBuy('BTC-PERP')));
    expect(first.status).toBe('unknown');
    expect(first.status === 'unknown' && first.reason).toMatch(/RequestTimeout/);
    f.setTap({});
    expect(await a.queryOrder('BTC-PERP', lost)).toBeUndefined();
    expect(engineOpen(lost)).toEqual([]);

    // The venue places it and the answer is lost: unknown again, and the query finds the resting order (once).
    f.setTap({
      rest: async (r) => {
        if (r.method !== 'POST' || r.path !== v.orderPath || r.headers['x-test-forwarded']) return { kind: 'pass' };
        await forward(f.restUrl, r);
        return { kind: 'hang' };
      },
    });
    const answerLost = cid('lost-answer');
    const price = restingBuy('BTC-PERP');
    expect((await a.placeOrder(postOnlyBuy(answerLost, price))).status).toBe('unknown');
    f.setTap({});
    expect(await a.queryOrder('BTC-PERP', answerLost)).toMatchObject({ clientOrderId: answerLost, price, status: 'new' });
    expect(engineOpen(answerLost)).toHaveLength(1);
  });

  it('refuses a duplicate client order id, and a size or price off the venue step without sending it', async () => {
    const { a, engineOpen, restingBuy } = await setup(v);
    const id = cid('dup');
    const price = restingBuy('BTC-PERP');
    expect((await a.placeOrder(postOnlyBuy(id, price))).status).toBe('accepted');
    const dup = await a.placeOrder(postOnlyBuy(id, price));
    expect(dup.status).toBe('rejected');
    expect(dup.status === 'rejected' && dup.reason).toMatch(/duplicate/i);
    expect(engineOpen(id)).toHaveLength(1);

    const offLot = await a.placeOrder(postOnlyBuy(cid('lot'), price, 'BTC-PERP', v.offLot.qty));
    expect(offLot).toMatchObject({ status: 'rejected', reason: expect.stringMatching(v.offLot.reason) });
    const offTickPrice = price.includes('.') ? `${price}5` : `${price}.05`;
    const offTick = await a.placeOrder(postOnlyBuy(cid('tick'), offTickPrice));
    expect(offTick).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/price .* is not on the venue's step 0\.1/) });
    expect(await a.openOrders()).toHaveLength(1);
  });
});

describe('ccxt error classes as place outcomes', () => {
  it('answers are rejections, missing answers are unknown, a missing order is not_found', () => {
    const kind = (e: unknown) => classifyCcxtError(e).kind;
    expect(kind(new InvalidOrder('x'))).toBe('rejected');
    expect(kind(new InsufficientFunds('x'))).toBe('rejected');
    expect(kind(new RateLimitExceeded('x'))).toBe('rejected'); // refused before acting, though ccxt files it under NetworkError
    expect(kind(new OrderNotFound('x'))).toBe('not_found');
    expect(kind(new RequestTimeout('x'))).toBe('unknown');
    expect(kind(new ExchangeNotAvailable('x'))).toBe('unknown');
    expect(kind(new BadResponse('x'))).toBe('unknown');
    expect(kind(new TypeError('fetch failed'))).toBe('unknown');
    expect(classifyCcxtError(new RequestTimeout('binanceusdm POST http://h/fapi/v1/order?signature=abc timed out')).reason).not.toContain('signature');
  });
});
