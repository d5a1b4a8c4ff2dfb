import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fill, OrderEvent } from '@perpetua/core';
import { createSimWorld, startGrvtFacade, type GrvtFacade } from '@perpetua/sim';
import { fuzzParameters, fuzzTimeoutMs } from '@perpetua/testkit';
import { GrvtFatalError, GrvtRefusedError, GrvtUncertainError } from '../../src/grvt/grvt-rest-client.js';
import { GrvtTrading } from '../../src/grvt/grvt-trading.js';
import { problemOf, problemsOfResult } from './sane-trading-records.js';
import { replyCaseText, restReplyCases } from './rest-reply-cases.js';

/**
 * What the GRVT trading adapter does with any answer to its REST calls. The adapter runs against the simulator's
 * GRVT façade (login and private stream live); the façade's traffic hook answers the one method a case calls with a
 * fuzzed reply: a broken real answer, random JSON or not JSON, under any status. A call must resolve with records
 * the router can take, or fail with one of the client's typed errors; every order event and fill it emits meanwhile
 * must pass the bus schemas.
 */
type Kind = Parameters<typeof problemsOfResult>[0];
interface Call {
  name: string;
  /** The façade path the case answers. */
  path: string;
  kind: Kind;
  run(a: GrvtTrading, n: number): Promise<unknown>;
}

const place = (a: GrvtTrading, n: number) => a.placeOrder({ clientOrderId: `fz-place-${n}`, symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: '1000', qty: '0.01', tif: 'post_only', reduceOnly: false });
const CALLS: Call[] = [
  { name: 'openOrders', path: '/full/v1/open_orders', kind: 'orders', run: (a) => a.openOrders() },
  { name: 'queryOrder', path: '/full/v1/order', kind: 'order', run: (a) => a.queryOrder('BTC-PERP', 'fz-open') },
  { name: 'positions', path: '/full/v1/positions', kind: 'positions', run: (a) => a.positions() },
  { name: 'balance', path: '/full/v1/account_summary', kind: 'balances', run: (a) => a.balance() },
  { name: 'fillsSince', path: '/full/v1/fill_history', kind: 'fills', run: (a) => a.fillsSince(0) },
  { name: 'fundingPayments', path: '/full/v1/funding_payment_history', kind: 'fundings', run: (a) => a.fundingPayments(0) },
  { name: 'instruments', path: '/full/v1/all_instruments', kind: 'instruments', run: (a) => a.instruments() },
  { name: 'placeOrder', path: '/full/v1/create_order', kind: 'place', run: place },
  { name: 'cancelOrder', path: '/full/v1/cancel_order', kind: 'boolean', run: (a) => a.cancelOrder('BTC-PERP', 'fz-open') },
  { name: 'cancelAll', path: '/full/v1/cancel_all_orders', kind: 'count', run: (a) => a.cancelAll('BTC-PERP') },
];

/** The client's typed errors: what a caller of the adapter can act on. */
const isTyped = (e: unknown): boolean => e instanceof GrvtRefusedError || e instanceof GrvtUncertainError;


describe("the GRVT adapter's REST replies (fuzz)", () => {
  const world = createSimWorld({ seed: 20, venues: ['grvt'] });
  let facade: GrvtFacade;
  let adapter: GrvtTrading;
  /** The adapter's clock: moved past the longest rate-limit pause (300 s) on each case, so none holds the next back. */
  let clock = Date.now();
  const samples = new Map<string, unknown>();
  const problems: string[] = [];
  let reply: { path: string; status: number; body: unknown } | undefined;

  const check = (what: string, p: string | undefined, v: unknown) => p && problems.push(`${what} ${p}: ${JSON.stringify(v).slice(0, 300)}`);
  const startAdapter = async (): Promise<GrvtTrading> => {
    const a = new GrvtTrading({
      account: 'fz',
      env: 'testnet',
      edgeUrl: facade.edgeUrl,
      tradesUrl: facade.tradesUrl,
      tradesWsUrl: facade.tradesWsUrl,
      marketDataUrl: facade.marketDataUrl,
      apiKey: facade.credentials.apiKey,
      signerPrivateKey: facade.credentials.signerPrivateKey,
      subAccountId: facade.credentials.subAccountId,
      cancelOnDisconnectMs: 0,
      now: () => clock,
    });
    await a.start({ onOrderEvent: (e: OrderEvent) => check('order event', problemOf.orderEvent(e), e), onFill: (f: Fill) => check('fill', problemOf.fill(f), f) });
    return a;
  };

  beforeAll(async () => {
    for (let i = 0; i < 10; i++) world.step();
    facade = await startGrvtFacade({ world, speedBumpMs: 0, sessionTtlMs: 10 * 365 * 24 * 3_600_000 });
    adapter = await startAdapter();
    // Real answers of every method, with an order resting and a trade done: the mutations start from these.
    const bid = (Math.floor(Number(world.venue('grvt').book('BTC-PERP', 1).bids[0]![0]) * 0.9 * 10) / 10).toFixed(1);
    expect(await adapter.placeOrder({ clientOrderId: 'fz-open', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: bid, qty: '0.01', tif: 'post_only', reduceOnly: false })).toMatchObject({ status: 'accepted' });
    expect(await adapter.placeOrder({ clientOrderId: 'fz-taken', symbol: 'BTC-PERP', side: 'buy', type: 'market', qty: '0.01', tif: 'ioc', reduceOnly: false })).toMatchObject({ status: 'accepted' });
    const login = await fetch(`${facade.edgeUrl}/auth/api_key/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: facade.credentials.apiKey }) });
    const headers = { 'content-type': 'application/json', cookie: /gravity=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0], 'x-grvt-account-id': login.headers.get('x-grvt-account-id')! };
    const sub = { sub_account_id: facade.credentials.subAccountId };
    const post = async (url: string, body: unknown) => (await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) })).json() as Promise<unknown>;
    const open = (await post(`${facade.tradesUrl}/full/v1/open_orders`, sub)) as { result: Array<{ metadata: { client_order_id: string } }> };
    samples.set('/full/v1/open_orders', open);
    samples.set('/full/v1/order', await post(`${facade.tradesUrl}/full/v1/order`, { ...sub, client_order_id: open.result[0]!.metadata.client_order_id }));
    samples.set('/full/v1/positions', await post(`${facade.tradesUrl}/full/v1/positions`, sub));
    samples.set('/full/v1/account_summary', await post(`${facade.tradesUrl}/full/v1/account_summary`, sub));
    samples.set('/full/v1/fill_history', await post(`${facade.tradesUrl}/full/v1/fill_history`, { ...sub, limit: 1000 }));
    samples.set('/full/v1/funding_payment_history', {
      result: [{ event_time: `${clock}000000`, sub_account_id: sub.sub_account_id, instrument: 'BTC_USDT_Perp', currency: 'USDT', amount: '-0.25', tx_id: 'tx1' }],
      next: '',
    });
    samples.set('/full/v1/all_instruments', await post(`${facade.marketDataUrl}/full/v1/all_instruments`, { is_active: true }));
    samples.set('/full/v1/create_order', { result: (samples.get('/full/v1/order') as { result: unknown }).result });
    samples.set('/full/v1/cancel_order', { result: { ack: true } });
    samples.set('/full/v1/cancel_all_orders', { result: { ack: true } });
    facade.setTrafficHooks({ onRest: (req) => (reply && req.path === reply.path ? { status: reply.status, body: reply.body } : undefined) });
  });
  afterAll(async () => {
    await adapter?.close();
    await facade?.close();
  });

  it('takes the real answers of every method', async () => {
    for (const [i, c] of CALLS.entries()) {
      reply = { path: c.path, status: 200, body: samples.get(c.path) };
      const value = await c.run(adapter, 1_000_000 + i);
      expect(problemsOfResult(c.kind, value), c.name).toEqual([]);
      if (c.kind === 'orders' || c.kind === 'fills' || c.kind === 'fundings') expect((value as unknown[]).length, c.name).toBeGreaterThan(0);
    }
    reply = undefined;
    expect(problems).toEqual([]);
  });

  it(
    'resolves with records the router can take or fails with a typed error, whatever the answer',
    async () => {
      const cases = restReplyCases(CALLS, samples);
      let n = 0;
      await fc.assert(
        fc.asyncProperty(cases, async ({ call, status, body }) => {
          clock += 301_000;
          reply = { path: call.path, status, body };
          const what = replyCaseText(call, status, body);
          const outcome = await call.run(adapter, n++).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
          if ('error' in outcome) {
            expect(isTyped(outcome.error), `${what} -> ${String(outcome.error)}`).toBe(true);
            // 1008 (IP not whitelisted) ends the session for good, by design: a new adapter carries on.
            if (outcome.error instanceof GrvtFatalError) {
              reply = undefined;
              await adapter.close();
              adapter = await startAdapter();
            }
          } else expect(problemsOfResult(call.kind, outcome.value), `${what} -> ${String(JSON.stringify(outcome.value)).slice(0, 300)}`).toEqual([]);
          expect(problems, what).toEqual([]);
        }),
        fuzzParameters(),
      );
    },
    // Each case is a REST round trip through the adapter's own fetch, and some several (a page, a re-login).
    fuzzTimeoutMs(10),
  );
});
