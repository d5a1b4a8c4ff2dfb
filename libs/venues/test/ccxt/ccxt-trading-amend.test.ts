import { afterEach, describe, expect, it } from 'vitest';
import { snapPrice, type OrderEvent } from '@perpetua/core';
import { createSimWorld, startBinanceFacade, startBybitFacade, startOkxFacade, type SimWorldImpl } from '@perpetua/sim';
import { waitUntil } from '@perpetua/testkit';
import { CcxtTrading } from '../../src/ccxt/ccxt-trading.js';
import { ccxtTradingDialect } from '../../src/ccxt/ccxt-trading-dialect.js';
import { untilOrderStreamLive } from './until-order-stream-live.js';

/** amendOrder of the ccxt trading adapter (ccxt's editOrder by our client id) against the simulator's façades. */

interface Facade {
  restUrl: string;
  credentials: { apiKey: string; secret: string; password?: string };
  accountId: string;
  close(): Promise<void>;
}

const VENUES = [
  { id: 'binanceusdm', start: startBinanceFacade, offStepQty: '0.0025' },
  { id: 'bybit', start: startBybitFacade, offStepQty: '0.0025' },
  // OKX's step is 0.01 contract of 0.01 BTC: 0.0025 BTC is on it, 0.00025 is not.
  { id: 'okx', start: startOkxFacade, offStepQty: '0.00025' },
] as const;

let world: SimWorldImpl | undefined;
let facade: Facade | undefined;
let adapter: CcxtTrading | undefined;

afterEach(async () => {
  world?.stop();
  await adapter?.close();
  await facade?.close();
  world = facade = adapter = undefined;
});

let seq = 0;
/** Letters and digits only: OKX's rule for client order ids, which the others accept too. */
const cid = (tag: string) => `am${tag.replace(/[^A-Za-z0-9]/g, '')}${process.pid}n${++seq}`;

async function setup(v: (typeof VENUES)[number]) {
  world = createSimWorld({ seed: 9, clock: 'wall', venues: [v.id] });
  world.start(20);
  const f: Facade = await v.start({ world });
  facade = f;
  const a = new CcxtTrading({
    venue: v.id,
    account: 'acct-1',
    connection: { exchangeId: v.id, apiKey: f.credentials.apiKey, secret: f.credentials.secret, password: f.credentials.password, restBaseUrl: f.restUrl, wsBaseUrl: f.restUrl.replace(/^http/, 'ws'), enableRateLimit: false },
  });
  adapter = a;
  const instruments = await a.instruments();
  const engine = world.venue(v.id);
  const tickSize = instruments.find((i) => i.symbol === 'BTC-PERP')!.tickSize;
  const touch = () => {
    const b = engine.book('BTC-PERP', 1);
    return { bid: Number(b.bids[0]![0]), ask: Number(b.asks[0]![0]) };
  };
  return {
    a,
    f,
    engine,
    buyUnder: (fraction: number) => snapPrice({ tickSize }, 'buy', touch().bid * (1 - fraction)),
    crossingBuy: () => snapPrice({ tickSize }, 'buy', touch().ask * 1.01),
    engineOpen: (clientOrderId: string) => engine.openOrders(f.accountId).filter((o) => o.clientOrderId === clientOrderId),
  };
}

describe('ccxt trading adapter: amendOrder', () => {
  it('exists for Binance USD-M, Bybit and OKX (generic ccxt exchanges have no native amend)', () => {
    expect(ccxtTradingDialect('binanceusdm').amend).toBeDefined();
    expect(ccxtTradingDialect('bybit').amend).toBeDefined();
    expect(ccxtTradingDialect('okx').amend).toBeDefined();
    expect(ccxtTradingDialect('gate').amend).toBeUndefined();
    const generic = new CcxtTrading({ venue: 'gate', account: 'x', connection: { exchangeId: 'gate', apiKey: 'k', secret: 's' } });
    expect(generic.amendOrder).toBeUndefined();
  });

  for (const v of VENUES) {
    describe(v.id, () => {
      it('amends price and qty in place: same client id and venue id, one open order, the stream reports the new values', async () => {
        const { a, f, engine, buyUnder, engineOpen } = await setup(v);
        const events: OrderEvent[] = [];
        await a.start({ onOrderEvent: (e) => events.push(e), onFill: () => undefined });
        await untilOrderStreamLive(a, events, buyUnder(0.1), cid);
        const id = cid('ok');
        const p1 = buyUnder(0.02);
        const placed = await a.placeOrder({ clientOrderId: id, symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: p1, qty: '0.002', tif: 'post_only', reduceOnly: false });
        expect(placed.status).toBe('accepted');
        const before = engineOpen(id);
        expect(before).toHaveLength(1);
        const p2 = buyUnder(0.03);
        const r = await a.amendOrder!('BTC-PERP', id, { side: 'buy', price: p2, qty: '0.003' });
        expect(r).toEqual({ status: 'accepted', orderStatus: 'new' });
        const after = engineOpen(id);
        expect(after).toHaveLength(1);
        expect(after[0]).toMatchObject({ orderId: before[0]!.orderId, price: p2, qty: '0.003', tif: 'post_only' });
        expect(engine.openOrders(f.accountId)).toHaveLength(1);
        const q = await a.queryOrder('BTC-PERP', id);
        expect(q).toMatchObject({ clientOrderId: id, price: p2, qty: '0.003', status: 'new' });
        await waitUntil(() => events.some((e) => e.clientOrderId === id && e.price === p2 && e.qty === '0.003'), 5_000, 'the amended order on the stream');
        expect(await a.cancelOrder('BTC-PERP', id)).toBe(true);
      });

      it("a crossing post-only amend is rejected with the venue's error; an amend of a gone order is rejected", async () => {
        const { a, crossingBuy, buyUnder, engineOpen } = await setup(v);
        const id = cid('x');
        const p1 = buyUnder(0.02);
        await a.placeOrder({ clientOrderId: id, symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: p1, qty: '0.002', tif: 'post_only', reduceOnly: false });
        const r = await a.amendOrder!('BTC-PERP', id, { side: 'buy', price: crossingBuy(), qty: '0.002' });
        expect(r.status).toBe('rejected');
        // Binance cancels an order whose amend fails this way; Bybit (in the simulator) keeps it as it was.
        expect(engineOpen(id).map((o) => o.price)).toEqual(v.id === 'binanceusdm' ? [] : [p1]);
        await a.cancelOrder('BTC-PERP', id);
        const gone = await a.amendOrder!('BTC-PERP', id, { side: 'buy', price: buyUnder(0.03), qty: '0.002' });
        expect(gone.status).toBe('rejected');
        const never = await a.amendOrder!('BTC-PERP', cid('never'), { side: 'buy', price: buyUnder(0.03), qty: '0.002' });
        expect(never.status).toBe('rejected');
      });

      it('refuses off-step values before sending', async () => {
        const { a, buyUnder } = await setup(v);
        const id = cid('step');
        await a.placeOrder({ clientOrderId: id, symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: buyUnder(0.02), qty: '0.002', tif: 'post_only', reduceOnly: false });
        const r = await a.amendOrder!('BTC-PERP', id, { side: 'buy', price: buyUnder(0.02), qty: v.offStepQty });
        expect(r).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/qty/) });
      });
    });
  }
});
