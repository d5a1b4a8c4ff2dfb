import { D, snapPrice } from '@perpetua/core';
import { createSimWorld, okxSign, startOkxFacade, type OkxFacade, type SimWorldImpl } from '@perpetua/sim';
import { waitUntil } from '@perpetua/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CcxtTrading } from '../../src/ccxt/ccxt-trading.js';

/**
 * Contract sizing end to end on OKX (one BTC-USDT-SWAP contract is 0.01 BTC): the real ccxt adapter, pointed at the
 * simulator's OKX façade by URL, speaks base units above and contracts on the wire, exactly.
 */
describe('ccxt adapter on OKX: base units above, contracts on the wire', () => {
  let world: SimWorldImpl;
  let f: OkxFacade;
  let a: CcxtTrading;
  const fills: Array<{ qty: string; clientOrderId: string }> = [];

  beforeAll(async () => {
    world = createSimWorld({ seed: 31, clock: 'wall', venues: ['okx'] });
    world.start(20);
    f = await startOkxFacade({ world });
    a = new CcxtTrading({
      venue: 'okx',
      account: 'acct-okx',
      connection: { exchangeId: 'okx', apiKey: f.credentials.apiKey, secret: f.credentials.secret, password: f.credentials.password, restBaseUrl: f.restUrl, wsBaseUrl: f.wsUrl, enableRateLimit: false },
    });
    await a.start({ onOrderEvent: () => undefined, onFill: (x) => fills.push({ qty: x.qty, clientOrderId: x.clientOrderId }) });
  });

  afterAll(async () => {
    world?.stop();
    await a?.close();
    await f?.close();
  });

  it("lists the instrument's lot and minimum in base units, with the contract size", async () => {
    const btc = (await a.instruments()).find((i) => i.symbol === 'BTC-PERP');
    expect(btc).toMatchObject({ venueSymbol: 'BTC/USDT:USDT', lotSize: '0.0001', minQty: '0.0001', contractSize: '0.01' });
  });

  it('a 0.05 BTC quote goes out as 5 contracts; the fill and the position come back as base units equal to contracts x ctVal', async () => {
    const bid = Number(world.venue('okx').book('BTC-PERP', 1).bids[0]![0]);
    const quote = await a.placeOrder({ clientOrderId: 'okxq1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: snapPrice({ tickSize: '0.1' }, 'buy', bid * 0.98), qty: '0.05', tif: 'post_only', reduceOnly: false });
    expect(quote).toMatchObject({ status: 'accepted', orderStatus: 'new' });
    expect(f.placedOrders().at(-1)).toMatchObject({ instId: 'BTC-USDT-SWAP', clOrdId: 'okxq1', sz: '5' });
    expect((await a.openOrders('BTC-PERP')).find((o) => o.clientOrderId === 'okxq1')?.qty).toBe('0.05');
    expect(await a.cancelOrder('BTC-PERP', 'okxq1')).toBe(true);

    const taker = await a.placeOrder({ clientOrderId: 'okxt1', symbol: 'BTC-PERP', side: 'buy', type: 'market', qty: '0.07', tif: 'ioc', reduceOnly: false });
    expect(taker.status).toBe('accepted');
    expect(f.placedOrders().at(-1)).toMatchObject({ clOrdId: 'okxt1', sz: '7' });
    await waitUntil(() => fills.filter((x) => x.clientOrderId === 'okxt1').reduce((s, x) => D.add(s, D.dec(x.qty)), D.ZERO) === D.dec('0.07'), 5_000, 'the taker fills, 0.07 BTC in all');
    const [pos] = await a.positions();
    // The façade's position as its wire states it (contracts), read with a signed request.
    const ts = new Date().toISOString();
    const path = '/api/v5/account/positions?instId=BTC-USDT-SWAP';
    const res = await fetch(`${f.restUrl}${path}`, {
      headers: { 'OK-ACCESS-KEY': f.credentials.apiKey, 'OK-ACCESS-PASSPHRASE': f.credentials.password, 'OK-ACCESS-TIMESTAMP': ts, 'OK-ACCESS-SIGN': okxSign(f.credentials.secret, `${ts}GET${path}`) },
    });
    const wire = (await res.json()) as { data: Array<{ pos: string }> };
    expect(wire.data[0]?.pos).toBe('7');
    expect(pos).toMatchObject({ symbol: 'BTC-PERP', qty: '0.07' });
    expect(D.dec(pos!.qty)).toBe(D.mul(D.dec(wire.data[0]!.pos), D.dec(f.contractValue('BTC-PERP'))));
  });

  it('refuses a size that is not a whole contract step, sending nothing', async () => {
    const before = f.placedOrders().length;
    const r = await a.placeOrder({ clientOrderId: 'okxbad1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: '1000', qty: '0.00005', tif: 'gtc', reduceOnly: false });
    expect(r).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/not a whole number of contract steps/) });
    expect(f.placedOrders().length).toBe(before);
  });
});
