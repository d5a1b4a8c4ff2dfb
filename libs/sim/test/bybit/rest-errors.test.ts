import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimWorld } from '../../src/world.js';
import { type BybitFacade, startBybitFacade } from '../../src/facades/bybit/index.js';
import { publicGet, signedRequest } from './signed-fetch.js';

/** Bad requests get Bybit's error envelope (HTTP 200 unless the path is unknown) and the server keeps serving. */
describe('Bybit façade REST errors', () => {
  let facade: BybitFacade;
  const internalErrors: unknown[] = [];

  beforeAll(async () => {
    const world = createSimWorld({ seed: 3 });
    world.step();
    facade = await startBybitFacade({ world, onInternalError: (e) => internalErrors.push(e) });
  });

  afterAll(async () => {
    await facade?.close();
    expect(internalErrors).toEqual([]);
  });

  const order = (fields: Record<string, unknown>) => JSON.stringify({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.001', price: '90000', ...fields });

  const cases: Array<[string, () => Promise<{ status: number; body: { retCode: number; retMsg: string } }>, number, RegExp]> = [
    ['malformed JSON', () => signedRequest(facade, 'POST', '/v5/order/create', '{"category":"linear",'), 10001, /Request parameter error/],
    ['a JSON array body', () => signedRequest(facade, 'POST', '/v5/order/create', '[1,2]'), 10001, /parameter error/],
    ['missing qty', () => signedRequest(facade, 'POST', '/v5/order/create', JSON.stringify({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market' })), 10001, /qty is empty/],
    ['qty as a number', () => signedRequest(facade, 'POST', '/v5/order/create', order({ qty: 0.001 })), 10001, /qty invalid/],
    ['negative qty', () => signedRequest(facade, 'POST', '/v5/order/create', order({ qty: '-1' })), 10001, /qty invalid/],
    ['zero qty', () => signedRequest(facade, 'POST', '/v5/order/create', order({ qty: '0' })), 10001, /Qty invalid/],
    ['bad side', () => signedRequest(facade, 'POST', '/v5/order/create', order({ side: 'BUY' })), 10001, /side invalid/],
    ['limit without price', () => signedRequest(facade, 'POST', '/v5/order/create', order({ price: undefined })), 10001, /price is empty/],
    ['price off the tick', () => signedRequest(facade, 'POST', '/v5/order/create', order({ price: '90000.05' })), 10001, /price invalid/],
    ['unknown symbol', () => signedRequest(facade, 'POST', '/v5/order/create', order({ symbol: 'DOGEUSDT' })), 10001, /Not supported symbols/],
    ['wrong category', () => signedRequest(facade, 'POST', '/v5/order/create', order({ category: 'spot' })), 10001, /Illegal category/],
    ['below min notional', () => signedRequest(facade, 'POST', '/v5/order/create', order({ price: '1000' })), 110094, /minimum order value/],
    ['insufficient balance', () => signedRequest(facade, 'POST', '/v5/order/create', order({ qty: '100' })), 110007, /ab not enough/],
    ['cancel of an unknown order', () => signedRequest(facade, 'POST', '/v5/order/cancel', JSON.stringify({ category: 'linear', symbol: 'BTCUSDT', orderId: 'nope' })), 110001, /order not exists/],
    ['bad signature', () => signedRequest(facade, 'POST', '/v5/order/create', order({}), { secret: 'wrong-secret' }), 10004, /error sign/],
    ['unknown API key', () => signedRequest(facade, 'GET', '/v5/position/list', 'category=linear&settleCoin=USDT', { apiKey: 'nobody' }), 10003, /API key is invalid/],
    ['stale timestamp', () => signedRequest(facade, 'GET', '/v5/position/list', 'category=linear&settleCoin=USDT', { timestamp: Date.now() - 60_000 }), 10002, /recv_window/],
    ['unknown symbol on a public endpoint', () => publicGet(facade, '/v5/market/orderbook', 'category=linear&symbol=XYZUSDT'), 10001, /Not supported symbols/],
    ['book limit out of range', () => publicGet(facade, '/v5/market/orderbook', 'category=linear&symbol=BTCUSDT&limit=9999'), 10001, /limit invalid/],
  ];

  it.each(cases)('%s gets the error envelope', async (_name, call, code, msg) => {
    const { status, body } = await call();
    expect(status).toBe(200);
    expect(body.retCode).toBe(code);
    expect(body.retMsg).toMatch(msg);
    expect(body).toMatchObject({ result: {}, retExtInfo: {} });
    expect(typeof (body as { time?: unknown }).time).toBe('number');
  });

  it('an unknown path is 404 with code 10017, and the server keeps serving', async () => {
    const res = await fetch(`${facade.restUrl}/v5/nothing/here`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { retCode: number }).retCode).toBe(10017);
    const ok = await publicGet(facade, '/v5/market/tickers', 'category=linear&symbol=BTCUSDT');
    expect(ok.body.retCode).toBe(0);
    const signed = await signedRequest(facade, 'GET', '/v5/account/wallet-balance', 'accountType=UNIFIED');
    expect(signed.body.retCode).toBe(0);
  });

  it('runs every REST request through the tap', async () => {
    const seen: string[] = [];
    facade.setTap({
      rest: (req) => {
        seen.push(req.path);
        return req.path === '/v5/market/time' ? { kind: 'respond', status: 503, body: '{"retCode":10016}' } : { kind: 'pass' };
      },
    });
    const res = await fetch(`${facade.restUrl}/v5/market/time`);
    expect(res.status).toBe(503);
    const ok = await publicGet(facade, '/v5/market/tickers', 'category=linear');
    expect(ok.body.retCode).toBe(0);
    expect(seen).toEqual(['/v5/market/time', '/v5/market/tickers']);
    facade.setTap({});
  });
});
