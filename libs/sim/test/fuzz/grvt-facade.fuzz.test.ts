import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzParameters, fuzzTimeoutMs, mutationOf } from '@perpetua/testkit';
import { startGrvtFacade, type GrvtFacade } from '../../src/facades/grvt/index.js';
import { createSimWorld } from '../../src/world.js';
import { login, signedOrder, type Session } from '../grvt/grvt-client.js';
import { jsonOrText, KeepAliveHttp } from '../support/keep-alive-http.js';

/** GRVT's error shape: `{code, message, status}`, the HTTP status mirrored. */
const isGrvtError = (body: unknown, status: number): boolean =>
  typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'number' && typeof (body as { message?: unknown }).message === 'string' && (body as { status?: unknown }).status === status;

describe('the GRVT façade REST API (fuzz)', () => {
  const world = createSimWorld({ seed: 9 });
  let facade: GrvtFacade;
  let session: Session;
  let samples: Array<{ host: 'md' | 'trades'; method: string; body: unknown }>;

  beforeAll(async () => {
    facade = await startGrvtFacade({ world, speedBumpMs: 0, sessionTtlMs: 3_600_000 });
    session = await login(facade);
    const bid = (Math.floor(Number(world.venue('grvt').book('BTC-PERP', 1).bids[0]![0]) * 0.9 * 10) / 10).toFixed(1);
    const order = await signedOrder(facade, { size: '0.01', price: bid, buy: true, postOnly: true });
    const sub = { sub_account_id: (order as { order: { sub_account_id: string } }).order.sub_account_id };
    samples = [
      { host: 'trades', method: 'create_order', body: order },
      { host: 'trades', method: 'cancel_order', body: { ...sub, client_order_id: '9223372036854775809' } },
      { host: 'trades', method: 'cancel_all_orders', body: { ...sub, kind: ['PERPETUAL'] } },
      { host: 'trades', method: 'open_orders', body: sub },
      { host: 'trades', method: 'order', body: { ...sub, order_id: '0x01' } },
      { host: 'trades', method: 'positions', body: sub },
      { host: 'trades', method: 'account_summary', body: sub },
      { host: 'trades', method: 'fill_history', body: { ...sub, limit: 10, start_time: '0' } },
      { host: 'trades', method: 'funding_payment_history', body: { ...sub, limit: 10 } },
      { host: 'trades', method: 'cancel_on_disconnect', body: { ...sub, countdown_time: '0' } },
      { host: 'md', method: 'book', body: { instrument: 'BTC_USDT_Perp', depth: 10 } },
      { host: 'md', method: 'ticker', body: { instrument: 'BTC_USDT_Perp' } },
      { host: 'md', method: 'trade', body: { instrument: 'BTC_USDT_Perp', limit: 10 } },
      { host: 'md', method: 'funding', body: { instrument: 'BTC_USDT_Perp', limit: 10 } },
      { host: 'md', method: 'all_instruments', body: { kind: ['PERPETUAL'], is_active: true } },
    ];
  });
  const http = new KeepAliveHttp();
  /** grvt-client's post, over a kept-alive node:http connection (a third of fetch's CPU a request). */
  const post = async (url: string, body: unknown, s?: Session): Promise<{ status: number; body: unknown }> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(s ? { cookie: s.cookie, 'x-grvt-account-id': s.accountId } : {}) };
    const answer = await http.send(url, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: answer.status, body: jsonOrText(answer) };
  };
  afterAll(async () => {
    http.close();
    await facade?.close();
  });

  it(
    "answers every request with a result or GRVT's own {code, message, status} error, never an internal one",
    async () => {
      const request = fc.nat({ max: samples.length - 1 }).chain((i) => fc.tuple(fc.constant(samples[i]!), mutationOf([samples[i]!.body])));
      await fc.assert(
        fc.asyncProperty(request, async ([sample, body]) => {
          const url = `${sample.host === 'md' ? facade.marketDataUrl : facade.tradesUrl}/full/v1/${sample.method}`;
          const res = await post(url, body, sample.host === 'trades' ? session : undefined);
          const what = `${sample.method} ${JSON.stringify(body)?.slice(0, 300)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
          expect(res.status, what).toBeLessThan(500);
          if (res.status >= 400) expect(isGrvtError(res.body, res.status), what).toBe(true);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeoutMs(2),
  );
});
