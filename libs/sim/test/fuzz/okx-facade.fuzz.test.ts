import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzParameters, fuzzTimeoutMs, mutationOf } from '@perpetua/testkit';
import { okxSign, startOkxFacade, type OkxFacade } from '../../src/facades/okx/index.js';
import { createSimWorld } from '../../src/world.js';
import { jsonOrText, KeepAliveHttp } from '../support/keep-alive-http.js';

const INST = 'BTC-USDT-SWAP';
/** Valid v5 requests of every route (GET: the query's map, POST: the JSON body, an array for batches): the mutations start from these. */
const SAMPLES: Array<{ method: 'GET' | 'POST'; path: string; signed: boolean; params: unknown }> = [
  { method: 'POST', path: '/api/v5/trade/order', signed: true, params: { instId: INST, tdMode: 'cross', side: 'buy', ordType: 'post_only', sz: '1', px: '90000', clOrdId: 'fz1' } },
  { method: 'POST', path: '/api/v5/trade/order', signed: true, params: { instId: INST, tdMode: 'cross', side: 'sell', ordType: 'market', sz: '1' } },
  { method: 'POST', path: '/api/v5/trade/batch-orders', signed: true, params: [{ instId: INST, tdMode: 'cross', side: 'buy', ordType: 'limit', sz: '1', px: '80000', clOrdId: 'fz2' }, { instId: INST, tdMode: 'cross', side: 'buy', ordType: 'ioc', sz: '2', px: '80001', clOrdId: 'fz3' }] },
  { method: 'POST', path: '/api/v5/trade/amend-order', signed: true, params: { instId: INST, clOrdId: 'fz1', newSz: '2', newPx: '90001', reqId: 'r1' } },
  { method: 'POST', path: '/api/v5/trade/amend-batch-orders', signed: true, params: [{ instId: INST, clOrdId: 'fz2', newPx: '80002' }] },
  { method: 'POST', path: '/api/v5/trade/cancel-order', signed: true, params: { instId: INST, clOrdId: 'fz1' } },
  { method: 'POST', path: '/api/v5/trade/cancel-batch-orders', signed: true, params: [{ instId: INST, clOrdId: 'fz2' }] },
  { method: 'POST', path: '/api/v5/account/set-leverage', signed: true, params: { instId: INST, lever: '5', mgnMode: 'cross' } },
  { method: 'GET', path: '/api/v5/trade/order', signed: true, params: { instId: INST, clOrdId: 'fz1' } },
  { method: 'GET', path: '/api/v5/trade/orders-pending', signed: true, params: { instType: 'SWAP', instId: INST, limit: '100' } },
  { method: 'GET', path: '/api/v5/trade/orders-history', signed: true, params: { instType: 'SWAP', instId: INST, limit: '10' } },
  { method: 'GET', path: '/api/v5/trade/fills', signed: true, params: { instType: 'SWAP', instId: INST, begin: '0', end: '9999999999999', limit: '10' } },
  { method: 'GET', path: '/api/v5/trade/fills-history', signed: true, params: { instType: 'SWAP', limit: '10' } },
  { method: 'GET', path: '/api/v5/account/positions', signed: true, params: { instType: 'SWAP', instId: INST } },
  { method: 'GET', path: '/api/v5/account/balance', signed: true, params: {} },
  { method: 'GET', path: '/api/v5/account/config', signed: true, params: {} },
  { method: 'GET', path: '/api/v5/public/instruments', signed: false, params: { instType: 'SWAP', instId: INST } },
  { method: 'GET', path: '/api/v5/market/ticker', signed: false, params: { instId: INST } },
  { method: 'GET', path: '/api/v5/market/tickers', signed: false, params: { instType: 'SWAP' } },
  { method: 'GET', path: '/api/v5/market/books', signed: false, params: { instId: INST, sz: '20' } },
  { method: 'GET', path: '/api/v5/market/trades', signed: false, params: { instId: INST, limit: '10' } },
  { method: 'GET', path: '/api/v5/public/mark-price', signed: false, params: { instType: 'SWAP', instId: INST } },
  { method: 'GET', path: '/api/v5/public/funding-rate', signed: false, params: { instId: INST } },
  { method: 'GET', path: '/api/v5/market/index-tickers', signed: false, params: { instId: 'BTC-USDT' } },
];

/** A parameter map as a query string: text as written, anything else as its JSON (a client's wrong type). */
const queryOf = (params: unknown): string =>
  params !== null && typeof params === 'object' && !Array.isArray(params)
    ? Object.entries(params)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`)
        .join('&')
    : encodeURIComponent(JSON.stringify(params) ?? '');

interface Credentials {
  secret: string;
  passphrase: string;
  timestamp: string;
}

/**
 * One raw v5 request, signed as OKX wants (base64 HMAC over timestamp + METHOD + path with query + body, exactly as
 * sent) when `creds` is given; the answer's body as JSON, or as text when it is not (a 431 has none).
 */
async function okxRequest(http: KeepAliveHttp, facade: OkxFacade, method: 'GET' | 'POST', path: string, payload: string, creds: Credentials | undefined): Promise<{ status: number; body: unknown }> {
  const requestPath = method === 'GET' && payload !== '' ? `${path}?${payload}` : path;
  const body = method === 'POST' ? payload : '';
  const headers: Record<string, string> = method === 'POST' ? { 'Content-Type': 'application/json' } : {};
  if (creds)
    Object.assign(headers, {
      'OK-ACCESS-KEY': facade.credentials.apiKey,
      'OK-ACCESS-TIMESTAMP': creds.timestamp,
      'OK-ACCESS-PASSPHRASE': creds.passphrase,
      'OK-ACCESS-SIGN': okxSign(creds.secret, `${creds.timestamp}${method}${requestPath}${body}`),
    });
  const answer = await http.send(`${facade.restUrl}${requestPath}`, method === 'GET' ? { headers } : { method, headers, body });
  return { status: answer.status, body: jsonOrText(answer) };
}

const codeOf = (body: unknown): unknown => (typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined);

/** OKX's error body: a code other than "0" (as text) and its message. */
const isOkxError = (body: unknown): boolean => typeof codeOf(body) === 'string' && codeOf(body) !== '0' && typeof (body as { msg?: unknown }).msg === 'string';

const request = fc.nat({ max: SAMPLES.length - 1 }).chain((i) =>
  fc.record({
    sample: fc.constant(SAMPLES[i]!),
    params: mutationOf([SAMPLES[i]!.params]),
    raw: fc.option(fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('{', '[]', '[1]', '[null]', 'null', '"x"', '1', '{"instId":', '\u0000')), { freq: 8 }),
    // The signature's parts broken now and then: wrong secret, passphrase, or a timestamp OKX does not take.
    auth: fc.constantFrom('good', 'good', 'good', 'good', 'secret', 'passphrase', 'stale', 'unix'),
  }),
);

describe('the OKX façade REST API (fuzz)', () => {
  // A logical clock, stepped here only: a wall-clock world would step every few ms beside the requests.
  const world = createSimWorld({ seed: 13, venues: ['okx'] });
  let facade: OkxFacade;
  const internalErrors: unknown[] = [];
  const http = new KeepAliveHttp();
  const credsOf = (auth: string): Credentials => {
    const now = new Date();
    const timestamp = auth === 'stale' ? new Date(now.getTime() - 60_000).toISOString() : auth === 'unix' ? String(Math.floor(now.getTime() / 1000)) : now.toISOString();
    return { secret: auth === 'secret' ? 'not-the-secret' : facade.credentials.secret, passphrase: auth === 'passphrase' ? 'wrong' : facade.credentials.password, timestamp };
  };
  beforeAll(async () => {
    for (let i = 0; i < 10; i++) world.step();
    facade = await startOkxFacade({ world, onInternalError: (e) => internalErrors.push(e) });
  });
  afterAll(async () => {
    http.close();
    await facade?.close();
  });

  it('takes every valid sample (code "0")', async () => {
    for (const s of SAMPLES) {
      const answer = await okxRequest(http, facade, s.method, s.path, s.method === 'GET' ? queryOf(s.params) : JSON.stringify(s.params), s.signed ? credsOf('good') : undefined);
      expect(codeOf(answer.body), `${s.method} ${s.path} -> ${JSON.stringify(answer.body).slice(0, 300)}`).toBe('0');
    }
    expect(internalErrors).toEqual([]);
  });

  it(
    "answers every request with a result or OKX's own {code, msg} error, never an internal one",
    async () => {
      await fc.assert(
        fc.asyncProperty(request, async ({ sample, params, raw, auth }) => {
          const payload = sample.method === 'GET' ? queryOf(params) : (raw ?? JSON.stringify(params) ?? '');
          const answer = await okxRequest(http, facade, sample.method, sample.path, payload, sample.signed ? credsOf(auth) : undefined);
          const what = `${sample.method} ${sample.path} ${payload.slice(0, 300)} -> ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
          expect(answer.status, what).toBeLessThan(500);
          // 431: a query over Node's 16 KiB header limit, answered by the HTTP server before any route.
          if (answer.status !== 431 && (answer.status >= 400 || codeOf(answer.body) !== '0')) expect(isOkxError(answer.body), what).toBe(true);
          expect(internalErrors).toEqual([]);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeoutMs(2),
  );
});
