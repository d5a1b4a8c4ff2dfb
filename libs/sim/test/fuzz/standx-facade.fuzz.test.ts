import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzParameters, fuzzTimeoutMs, mutationOf } from '@perpetua/testkit';
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { parseStandxPrivateKey, signStandxRequest, standxSignaturePayload, type StandxSignatureHeaders } from '@perpetua/venues';
import { limitOrder, startHarness, type Harness } from '../standx/harness.js';
import { jsonOrText, KeepAliveHttp } from '../support/keep-alive-http.js';

/** Signed POST bodies and GET queries of the StandX façade, valid as sent: the mutations start from these. */
const POSTS = [
  { path: '/api/new_order', body: limitOrder('buy', '50000', '0.001', { cl_ord_id: 'fz-1' }) },
  { path: '/api/cancel_order', body: { cl_ord_id: 'fz-1' } },
  { path: '/api/cancel_orders', body: { order_id_list: [1, 2] } },
  { path: '/api/change_leverage', body: { symbol: 'BTC-USD', leverage: 5 } },
  { path: '/api/change_margin_mode', body: { symbol: 'BTC-USD', margin_mode: 'cross' } },
];
const GETS = [
  { path: '/api/query_order', query: { cl_ord_id: 'fz-1' } },
  { path: '/api/query_orders', query: { symbol: 'BTC-USD', limit: '10' } },
  { path: '/api/query_open_orders', query: { symbol: 'BTC-USD' } },
  { path: '/api/query_trades', query: { symbol: 'BTC-USD', last_id: '0', limit: '10' } },
  { path: '/api/query_positions', query: { symbol: 'BTC-USD' } },
  { path: '/api/query_depth_book', query: { symbol: 'BTC-USD' } },
  { path: '/api/query_recent_trades', query: { symbol: 'BTC-USD', limit: '5' } },
  { path: '/api/query_symbol_price', query: { symbol: 'BTC-USD' } },
];

/** StandX's error shape: `{code, message}` with the HTTP status as the code. */
const isStandxError = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'number' && typeof (body as { message?: unknown }).message === 'string';

const queryOf = (q: unknown): string =>
  q !== null && typeof q === 'object' && !Array.isArray(q)
    ? new URLSearchParams(Object.entries(q).map(([k, v]) => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')])).toString()
    : encodeURIComponent(JSON.stringify(q) ?? '');

describe('the StandX façade REST API (fuzz)', () => {
  let h: Harness;
  const http = new KeepAliveHttp();
  // StandX's rate limits are not what is fuzzed: enforced, every request past 50 a second is a 429 before any route.
  beforeAll(async () => void (h = await startHarness({ background: false, facade: { limits: { enforce: false } } })));
  afterAll(async () => {
    http.close();
    await h?.close();
  });
  /** The harness's signedPost and get, over a kept-alive node:http connection (a third of fetch's CPU a request). */
  const send = async (method: 'GET' | 'POST', path: string, payload: unknown): Promise<{ status: number; body: unknown }> => {
    const auth = { authorization: `Bearer ${h.demo.token}` };
    if (method === 'GET') {
      const a = await http.send(`${h.facade.restUrl}${path}?${queryOf(payload)}`, { headers: auth });
      return { status: a.status, body: jsonOrText(a) };
    }
    const body = JSON.stringify(payload) ?? '';
    const signed = nativeSign(randomUUID(), Date.now(), body);
    const a = await http.send(`${h.facade.restUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth, ...signed }, body });
    return { status: a.status, body: jsonOrText(a) };
  };
  /**
   * The adapter's signing (signStandxRequest) done by node:crypto: ed25519 is deterministic, so the headers are the
   * same (checked below), at a fraction of the pure-JS signer's CPU.
   */
  let privateKey: KeyObject;
  const nativeSign = (requestId: string, timestamp: number, body: string): StandxSignatureHeaders => ({
    'x-request-sign-version': 'v1',
    'x-request-id': requestId,
    'x-request-timestamp': String(timestamp),
    'x-request-signature': sign(null, Buffer.from(standxSignaturePayload(requestId, timestamp, body), 'utf8'), privateKey).toString('base64'),
  });
  beforeAll(() => {
    const key = parseStandxPrivateKey(h.demo.privateKey);
    privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), key.secretKey]), format: 'der', type: 'pkcs8' });
    expect(nativeSign('r-1', 1_767_225_600_000, '{"a":1}')).toEqual(signStandxRequest({ key, requestId: 'r-1', timestamp: 1_767_225_600_000, body: '{"a":1}' }));
  });

  it(
    "answers every request with a result or StandX's own {code, message} error, never a 5xx",
    async () => {
      const post = fc.nat({ max: POSTS.length - 1 }).chain((i) => fc.tuple(fc.constant('POST' as const), fc.constant(POSTS[i]!.path), mutationOf([POSTS[i]!.body])));
      const get = fc.nat({ max: GETS.length - 1 }).chain((i) => fc.tuple(fc.constant('GET' as const), fc.constant(GETS[i]!.path), mutationOf([GETS[i]!.query])));
      await fc.assert(
        fc.asyncProperty(fc.oneof(post, get), async ([method, path, payload]) => {
          const res = await send(method, path, payload);
          const what = `${method} ${path} ${JSON.stringify(payload)?.slice(0, 300)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
          expect(res.status, what).toBeLessThan(500);
          // 431: a query over Node's 16 KiB header limit, answered by the HTTP server before any route.
          if (res.status >= 400 && res.status !== 431) expect(isStandxError(res.body), what).toBe(true);
        }),
        fuzzParameters(),
      );
    },
    // Each signed request is verified (ed25519) by the façade: a few ms of CPU a case.
    fuzzTimeoutMs(5),
  );
});
