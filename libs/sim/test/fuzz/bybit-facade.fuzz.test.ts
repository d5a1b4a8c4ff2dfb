import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzParameters, fuzzTimeoutMs, mutationOf } from '@perpetua/testkit';
import { type BybitFacade, hmacHex, restPayload, startBybitFacade } from '../../src/facades/bybit/index.js';
import { type SimWorldImpl, createSimWorld } from '../../src/world.js';
import { jsonOrText, KeepAliveHttp } from '../support/keep-alive-http.js';

/** Valid v5 requests of every route, as parameter maps (GET: the query, POST: the JSON body): the mutations start from these. */
const SAMPLES: Array<{ method: 'GET' | 'POST'; path: string; signed: boolean; params: Record<string, unknown> }> = [
  { method: 'POST', path: '/v5/order/create', signed: true, params: { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.002', price: '90000', timeInForce: 'PostOnly', orderLinkId: 'fz-1', positionIdx: 0 } },
  { method: 'POST', path: '/v5/order/create', signed: true, params: { category: 'linear', symbol: 'BTCUSDT', side: 'Sell', orderType: 'Market', qty: '0.001', reduceOnly: false } },
  { method: 'POST', path: '/v5/order/amend', signed: true, params: { category: 'linear', symbol: 'BTCUSDT', orderLinkId: 'fz-1', qty: '0.003', price: '90001' } },
  { method: 'POST', path: '/v5/order/cancel', signed: true, params: { category: 'linear', symbol: 'BTCUSDT', orderLinkId: 'fz-1' } },
  { method: 'POST', path: '/v5/order/cancel-all', signed: true, params: { category: 'linear', symbol: 'BTCUSDT' } },
  { method: 'GET', path: '/v5/order/realtime', signed: true, params: { category: 'linear', symbol: 'BTCUSDT', openOnly: '0', limit: '20' } },
  { method: 'GET', path: '/v5/order/history', signed: true, params: { category: 'linear', symbol: 'BTCUSDT', orderStatus: 'Filled', startTime: '0', limit: '20' } },
  { method: 'GET', path: '/v5/execution/list', signed: true, params: { category: 'linear', symbol: 'BTCUSDT', execType: 'Trade', limit: '20' } },
  { method: 'GET', path: '/v5/position/list', signed: true, params: { category: 'linear', symbol: 'BTCUSDT' } },
  { method: 'POST', path: '/v5/position/set-leverage', signed: true, params: { category: 'linear', symbol: 'BTCUSDT', buyLeverage: '5', sellLeverage: '5' } },
  { method: 'GET', path: '/v5/account/wallet-balance', signed: true, params: { accountType: 'UNIFIED', coin: 'USDT' } },
  { method: 'GET', path: '/v5/account/info', signed: true, params: {} },
  { method: 'GET', path: '/v5/market/instruments-info', signed: false, params: { category: 'linear', symbol: 'BTCUSDT' } },
  { method: 'GET', path: '/v5/market/tickers', signed: false, params: { category: 'linear', symbol: 'BTCUSDT' } },
  { method: 'GET', path: '/v5/market/orderbook', signed: false, params: { category: 'linear', symbol: 'BTCUSDT', limit: '50' } },
  { method: 'GET', path: '/v5/market/recent-trade', signed: false, params: { category: 'linear', symbol: 'BTCUSDT', limit: '10' } },
];

/** A parameter map as a query string: text as written, anything else as its JSON (a client's wrong type). */
const queryOf = (params: unknown): string =>
  params !== null && typeof params === 'object' && !Array.isArray(params)
    ? Object.entries(params)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`)
        .join('&')
    : encodeURIComponent(JSON.stringify(params) ?? '');

/** A POST body: mostly the mutated map as JSON, sometimes text that is not a JSON object at all. */
const bodyOf = (params: unknown, raw: string | undefined): string => raw ?? JSON.stringify(params) ?? '';

const request = fc.nat({ max: SAMPLES.length - 1 }).chain((i) =>
  fc.record({
    sample: fc.constant(SAMPLES[i]!),
    params: mutationOf([SAMPLES[i]!.params]),
    raw: fc.option(fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('{', '[]', 'null', '"x"', '1', '{"category":', '\u0000')), { freq: 8 }),
    // A signed route sent with a wrong secret now and then: the signature check is part of the surface.
    secret: fc.constantFrom<string | undefined>(undefined, undefined, undefined, 'not-the-secret'),
  }),
);

/**
 * One raw v5 request, signed as Bybit wants (HMAC over timestamp + key + recv window + the query or body exactly as
 * sent) when `secret` is given; the answer's body as JSON, or as text when it is not (a 431 has none).
 */
async function bybitRequest(http: KeepAliveHttp, facade: BybitFacade, method: 'GET' | 'POST', path: string, payload: string, secret: string | undefined): Promise<{ status: number; body: unknown }> {
  const ts = String(Date.now());
  const apiKey = facade.credentials.apiKey;
  const signed: Record<string, string> = secret === undefined ? {} : { 'X-BAPI-API-KEY': apiKey, 'X-BAPI-TIMESTAMP': ts, 'X-BAPI-RECV-WINDOW': '5000', 'X-BAPI-SIGN': hmacHex(secret, restPayload(ts, apiKey, '5000', payload)) };
  const url = method === 'GET' && payload !== '' ? `${facade.restUrl}${path}?${payload}` : `${facade.restUrl}${path}`;
  const answer = await http.send(url, method === 'GET' ? { headers: signed } : { method, headers: { ...signed, 'Content-Type': 'application/json' }, body: payload });
  return { status: answer.status, body: jsonOrText(answer) };
}

const retCodeOf = (body: unknown): unknown => (typeof body === 'object' && body !== null ? (body as { retCode?: unknown }).retCode : undefined);

/** Bybit's error envelope: a non-zero retCode and its message. */
const isBybitError = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && typeof (body as { retCode?: unknown }).retCode === 'number' && (body as { retCode: number }).retCode !== 0 && typeof (body as { retMsg?: unknown }).retMsg === 'string';

describe('the Bybit façade REST API (fuzz)', () => {
  let world: SimWorldImpl;
  let facade: BybitFacade;
  const internalErrors: unknown[] = [];
  const http = new KeepAliveHttp();
  beforeAll(async () => {
    // A logical clock, stepped here only: a wall-clock world would step every few ms beside the requests.
    world = createSimWorld({ seed: 12, venues: ['bybit'] });
    for (let i = 0; i < 10; i++) world.step();
    facade = await startBybitFacade({ world, onInternalError: (e) => internalErrors.push(e) });
  });
  afterAll(async () => {
    http.close();
    await facade?.close();
  });

  it('takes every valid sample (retCode 0)', async () => {
    for (const s of SAMPLES) {
      const answer = await bybitRequest(http, facade, s.method, s.path, s.method === 'GET' ? queryOf(s.params) : JSON.stringify(s.params), s.signed ? facade.credentials.secret : undefined);
      expect(retCodeOf(answer.body), `${s.method} ${s.path} -> ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(0);
    }
    expect(internalErrors).toEqual([]);
  });

  it(
    "answers every request with a result or Bybit's own {retCode, retMsg} error, never an internal one",
    async () => {
      await fc.assert(
        fc.asyncProperty(request, async ({ sample, params, raw, secret }) => {
          const payload = sample.method === 'GET' ? queryOf(params) : bodyOf(params, raw ?? undefined);
          const answer = await bybitRequest(http, facade, sample.method, sample.path, payload, sample.signed ? (secret ?? facade.credentials.secret) : undefined);
          const what = `${sample.method} ${sample.path} ${payload.slice(0, 300)} -> ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
          expect(answer.status, what).toBeLessThan(500);
          // 431: a query over Node's 16 KiB header limit, answered by the HTTP server before any route.
          if (answer.status !== 431 && (answer.status >= 400 || retCodeOf(answer.body) !== 0)) expect(isBybitError(answer.body), what).toBe(true);
          expect(internalErrors).toEqual([]);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeoutMs(2),
  );
});
