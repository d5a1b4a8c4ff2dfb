import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fill, OrderEvent } from '@perpetua/core';
import { createSimWorld, startStandxFacade, type StandxFacade } from '@perpetua/sim';
import { fuzzParameters, fuzzTimeoutMs } from '@perpetua/testkit';
import { TokenBucket } from '../../src/connection/token-bucket.js';
import { StandxNoAnswerError, StandxRequestError, StandxResponseError } from '../../src/standx/standx-rest-errors.js';
import { StandxTrading } from '../../src/standx/standx-trading.js';
import { problemOf, problemsOfResult } from './sane-trading-records.js';
import { replyCaseText, restReplyCases } from './rest-reply-cases.js';

/**
 * What the StandX trading adapter does with any answer to its REST calls. The adapter runs against the simulator's
 * StandX façade (its streams live); the façade's traffic hook answers the one endpoint a case calls with a fuzzed
 * reply: a broken real answer, random JSON or not JSON, under any status. A call must resolve with records the
 * router can take, or fail with one of the client's typed errors; every order event and fill it emits meanwhile
 * must pass the bus schemas.
 */
type Kind = Parameters<typeof problemsOfResult>[0];
interface Call {
  name: string;
  path: string;
  kind: Kind;
  run(a: StandxTrading, n: number): Promise<unknown>;
}

const CALLS: Call[] = [
  { name: 'openOrders', path: '/api/query_open_orders', kind: 'orders', run: (a) => a.openOrders('BTC-PERP') },
  { name: 'queryOrder', path: '/api/query_order', kind: 'order', run: (a) => a.queryOrder('BTC-PERP', 'fz-open') },
  { name: 'positions', path: '/api/query_positions', kind: 'positions', run: (a) => a.positions() },
  { name: 'balance', path: '/api/query_balance', kind: 'balances', run: (a) => a.balance() },
  { name: 'fillsSince', path: '/api/query_trades', kind: 'fills', run: (a) => a.fillsSince(0) },
  { name: 'instruments', path: '/api/query_symbol_info', kind: 'instruments', run: (a) => a.instruments() },
  {
    name: 'placeOrder',
    path: '/api/new_order',
    kind: 'place',
    run: (a, n) => a.placeOrder({ clientOrderId: `fz-place-${n}`, symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: '1000', qty: '0.01', tif: 'post_only', reduceOnly: false }),
  },
];

/** The client's typed errors: what a caller of the adapter can act on. */
const isTyped = (e: unknown): boolean => e instanceof StandxNoAnswerError || e instanceof StandxRequestError || e instanceof StandxResponseError;


describe("the StandX adapter's REST replies (fuzz)", () => {
  const world = createSimWorld({ seed: 19, venues: ['standx'] });
  let facade: StandxFacade;
  let adapter: StandxTrading;
  /** The adapter's clock: moved on each case, so a 429's cool-down (1 s) never holds the next case back. */
  let clock = Date.now();
  const samples = new Map<string, unknown>();
  const problems: string[] = [];
  let reply: { path: string; status: number; body: unknown } | undefined;

  beforeAll(async () => {
    for (let i = 0; i < 10; i++) world.step();
    facade = await startStandxFacade({ world });
    const { token, privateKey } = facade.credentials;
    adapter = new StandxTrading({
      account: 'fz',
      restBaseUrl: facade.restUrl,
      wsUrl: facade.wsUrl,
      orderWsUrl: facade.orderWsUrl,
      token,
      privateKey,
      makerFee: 0.0001,
      takerFee: 0.0004,
      requestTimeoutMs: 5_000,
      // The venue's rate limit is not what is fuzzed: 10 000 cases at 18 a second would take minutes.
      rateLimiter: new TokenBucket({ ratePerSec: 1e9, burst: 1e9 }),
      now: () => clock,
    });
    const check = (what: string, p: string | undefined, v: unknown) => p && problems.push(`${what} ${p}: ${JSON.stringify(v).slice(0, 300)}`);
    await adapter.start({ onOrderEvent: (e: OrderEvent) => check('order event', problemOf.orderEvent(e), e), onFill: (f: Fill) => check('fill', problemOf.fill(f), f) });
    // Real answers of every endpoint, with an order resting and a trade done: the mutations start from these.
    const bid = (Math.floor(Number(world.venue('standx').book('BTC-PERP', 1).bids[0]![0]) * 0.9 * 10) / 10).toFixed(1);
    expect(await adapter.placeOrder({ clientOrderId: 'fz-open', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: bid, qty: '0.01', tif: 'post_only', reduceOnly: false })).toMatchObject({ status: 'accepted' });
    expect(await adapter.placeOrder({ clientOrderId: 'fz-taken', symbol: 'BTC-PERP', side: 'buy', type: 'market', qty: '0.01', tif: 'ioc', reduceOnly: false })).toMatchObject({ status: 'accepted' });
    const get = async (path: string) => (await fetch(`${facade.restUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<unknown>;
    samples.set('/api/query_open_orders', await get('/api/query_open_orders'));
    samples.set('/api/query_order', await get('/api/query_order?cl_ord_id=fz-open'));
    samples.set('/api/query_positions', await get('/api/query_positions'));
    samples.set('/api/query_balance', await get('/api/query_balance'));
    samples.set('/api/query_trades', await get('/api/query_trades'));
    samples.set('/api/query_symbol_info', await get('/api/query_symbol_info'));
    samples.set('/api/new_order', { code: 0, message: 'success', request_id: 'r1' });
    for (const [path, body] of samples) expect(body, path).toBeDefined();
    facade.setTrafficHooks({ onRest: (req) => (reply && req.path === reply.path ? { status: reply.status, body: reply.body } : undefined) });
  });
  afterAll(async () => {
    await adapter?.close();
    await facade?.close();
  });

  it('takes the real answers of every endpoint', async () => {
    for (const [i, c] of CALLS.entries()) {
      reply = { path: c.path, status: 200, body: samples.get(c.path) };
      const value = await c.run(adapter, 1_000_000 + i);
      expect(problemsOfResult(c.kind, value), c.name).toEqual([]);
      if (c.kind === 'orders' || c.kind === 'fills') expect((value as unknown[]).length, c.name).toBeGreaterThan(0);
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
          clock += 2_000;
          reply = { path: call.path, status, body };
          const what = replyCaseText(call, status, body);
          const outcome = await call.run(adapter, n++).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
          if ('error' in outcome) expect(isTyped(outcome.error), `${what} -> ${String(outcome.error)}`).toBe(true);
          else expect(problemsOfResult(call.kind, outcome.value), `${what} -> ${String(JSON.stringify(outcome.value)).slice(0, 300)}`).toEqual([]);
          expect(problems, what).toEqual([]);
        }),
        fuzzParameters(),
      );
    },
    // Each case is a REST round trip through the adapter's own fetch, and some several (a page, a re-login).
    fuzzTimeoutMs(10),
  );
});
