import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimWorld } from '../../src/world.js';
import { startGrvtFacade, type GrvtFacade } from '../../src/facades/grvt/index.js';
import { asJson, login, post, RpcClient, signedOrder, waitFor, type Json, type Session } from './grvt-client.js';

/** GRVT's REST error shape: HTTP status mirrored in the body. */
function expectGrvtError(res: { status: number; body: unknown }, code: number, status: number): void {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ code, status });
  expect(typeof asJson(res.body).message).toBe('string');
}

describe('GRVT façade: bad requests get GRVT errors, never a crash', () => {
  const world = createSimWorld({ seed: 9 });
  let clock = Date.now();
  let facade: GrvtFacade;
  let session: Session;
  let bystander: RpcClient;

  beforeAll(async () => {
    facade = await startGrvtFacade({ world, speedBumpMs: 0, now: () => clock, sessionTtlMs: 60_000 });
    session = await login(facade);
    // Another client streaming the whole time: it must keep receiving whatever the others send.
    bystander = await RpcClient.connect(facade.marketDataWsUrl);
    await bystander.call('subscribe', { stream: 'v1.mini.s', selectors: ['BTC_USDT_Perp@200'] });
  });
  afterAll(async () => {
    await bystander.close();
    await facade.close();
  });

  const tradesUrl = (m: string): string => `${facade.tradesUrl}/full/v1/${m}`;
  const mdUrl = (m: string): string => `${facade.marketDataUrl}/full/v1/${m}`;
  const price = (): string => (Math.floor(Number(world.venue('grvt').book('BTC-PERP', 1).bids[0]![0]) * 0.95 * 10) / 10).toFixed(1);

  it('malformed JSON, missing fields and wrong types are 1003 / 400', async () => {
    expectGrvtError(await post(tradesUrl('create_order'), undefined, session, '{"order": {'), 1003, 400);
    expectGrvtError(await post(mdUrl('book'), undefined, undefined, 'not json'), 1003, 400);
    expectGrvtError(await post(tradesUrl('create_order'), {}, session), 1003, 400);
    const noSig = await signedOrder(facade, { size: '0.01', price: price(), buy: true, postOnly: true });
    delete asJson(noSig.order).signature;
    expectGrvtError(await post(tradesUrl('create_order'), noSig, session), 1003, 400);
    const numericSize = await signedOrder(facade, { size: '0.01', price: price(), buy: true, postOnly: true });
    (asJson(numericSize.order).legs as Json[])[0]!.size = 0.01;
    expectGrvtError(await post(tradesUrl('create_order'), numericSize, session), 1003, 400);
    expectGrvtError(await post(mdUrl('book'), { instrument: 'BTC_USDT_Perp', depth: '10' }), 1003, 400);
    expectGrvtError(await post(mdUrl('book'), [1, 2, 3]), 1003, 400);
    expectGrvtError(await post(tradesUrl('open_orders'), { sub_account_id: 12 }, session), 1003, 400);
    expectGrvtError(await post(`${facade.edgeUrl}/auth/api_key/login`, { apikey: 'x' }), 1003, 400);
  });

  it('unknown instruments, paths and methods', async () => {
    expectGrvtError(await post(mdUrl('instrument'), { instrument: 'DOGE_USDT_Perp' }), 1004, 404);
    expectGrvtError(await post(mdUrl('book'), { instrument: 'DOGE_USDT_Perp' }), 3000, 400);
    expectGrvtError(await post(mdUrl('book'), { instrument: 'BTC_USDT_Perp', depth: 7 }), 3031, 400);
    const order = await signedOrder(facade, { size: '0.01', price: price(), buy: true, postOnly: true });
    (asJson(order.order).legs as Json[])[0]!.instrument = 'DOGE_USDT_Perp';
    expectGrvtError(await post(tradesUrl('create_order'), order, session), 2061, 400);
    expectGrvtError(await post(mdUrl('no_such_method'), {}), 1004, 404);
    expectGrvtError(await post(`${facade.marketDataUrl}/full/v1/create_order`, {}), 1004, 404);
    const get = await fetch(mdUrl('all_instruments'));
    expectGrvtError({ status: get.status, body: await get.json() }, 1003, 400);
  });

  it('negative, zero and too-granular sizes, and prices off the tick', async () => {
    // Checked before the signature, so the (unsignable) size is patched into a signed order.
    for (const size of ['-0.01', '0', '-0']) {
      const order = await signedOrder(facade, { size: '0.01', price: price(), buy: true, postOnly: true });
      (asJson(order.order).legs as Json[])[0]!.size = size;
      const res = await post(tradesUrl('create_order'), order, session);
      expectGrvtError(res, 1003, 400);
      expect(asJson(res.body).message).toMatch(/size/);
    }
    const granular = await signedOrder(facade, { size: '0.0005', price: price(), buy: true, postOnly: true });
    expectGrvtError(await post(tradesUrl('create_order'), granular, session), 2065, 400);
    // Signed as sent, so only the tick check can refuse it.
    const offTick = await signedOrder(facade, { size: '0.01', price: `${price()}5`, buy: true, postOnly: true });
    expectGrvtError(await post(tradesUrl('create_order'), offTick, session), 2064, 400);
    const market = await signedOrder(facade, { size: '0.01', price: null, buy: true, timeInForce: 'GOOD_TILL_TIME' });
    expectGrvtError(await post(tradesUrl('create_order'), market, session), 2021, 400);
  });

  it('no cookie, a wrong account header, an unknown key and an expired session are 1000 / 401', async () => {
    const body = { sub_account_id: facade.credentials.subAccountId };
    expectGrvtError(await post(tradesUrl('open_orders'), body), 1000, 401);
    expectGrvtError(await post(tradesUrl('open_orders'), body, { ...session, accountId: '0xdead' }), 1000, 401);
    expectGrvtError(await post(tradesUrl('open_orders'), body, { ...session, cookie: 'gravity=forged' }), 1000, 401);
    expectGrvtError(await post(`${facade.edgeUrl}/auth/api_key/login`, { api_key: 'nope' }), 1000, 401);

    const shortLived = await login(facade);
    expect((await post(tradesUrl('open_orders'), body, shortLived)).status).toBe(200);
    const live = await RpcClient.connect(facade.tradesWsUrl, shortLived);
    clock += 61_000;
    expectGrvtError(await post(tradesUrl('open_orders'), body, shortLived), 1000, 401);
    await expect(RpcClient.connect(facade.tradesWsUrl, shortLived)).rejects.toThrow(/401/);
    // A socket opened before expiry can no longer act on the session either.
    const ans = await live.call('v1/open_orders', body);
    expect(ans.error).toMatchObject({ code: 1000 });
    await live.close();
    session = await login(facade);
  });

  it('bad WS requests get JSON-RPC errors and the connection keeps working', async () => {
    const md = await RpcClient.connect(facade.marketDataWsUrl);
    try {
      md.ws.send('{oops');
      await waitFor(() => md.messages.some((m) => asJson(m.error).code === 1003), 2_000, 'malformed error');
      expect((await md.call('subscribe', { stream: 'v1.book.s', selectors: ['BTC_USDT_Perp'] })).error).toMatchObject({ code: 1101 });
      expect((await md.call('subscribe', { stream: 'v1.book.s', selectors: ['BTC_USDT_Perp@500-7'] })).error).toMatchObject({ code: 3031 });
      expect((await md.call('subscribe', { stream: 'v1.book.d', selectors: ['BTC_USDT_Perp@3'] })).error).toMatchObject({ code: 3030 });
      expect((await md.call('subscribe', { stream: 'v1.book.d', selectors: ['DOGE_USDT_Perp@100'] })).error).toMatchObject({ code: 3000 });
      expect((await md.call('subscribe', { stream: 'v9.nope', selectors: ['x'] })).error).toMatchObject({ code: 1004 });
      expect((await md.call('subscribe', { stream: 'v1.book.s' })).error).toMatchObject({ code: 1003 });
      expect((await md.call('v1/no_such', {})).error).toMatchObject({ code: 1004 });
      const inst = await md.call('v1/instrument', { instrument: 'BTC_USDT_Perp' });
      expect(asJson(asJson(inst.result).result)).toMatchObject({ instrument: 'BTC_USDT_Perp', instrument_hash: '0x030501', base_decimals: 9 });
    } finally {
      await md.close();
    }
  });

  it('a traffic hook can answer REST itself (429), and the servers kept serving everyone throughout', async () => {
    facade.setTrafficHooks({ onRest: (req) => (req.path.endsWith('/ticker') ? { status: 429, body: { code: 1006, message: 'Too many requests', status: 429 } } : undefined) });
    expectGrvtError(await post(mdUrl('ticker'), { instrument: 'BTC_USDT_Perp' }), 1006, 429);
    facade.setTrafficHooks({});
    const all = await post(mdUrl('all_instruments'), {});
    expect(all.status).toBe(200);
    expect((asJson(all.body).result as Json[]).map((i) => i.instrument)).toEqual(['BTC_USDT_Perp', 'ETH_USDT_Perp']);
    const before = bystander.feeds('v1.mini.s').length;
    await waitFor(() => bystander.feeds('v1.mini.s').length > before + 1, 2_000, 'bystander still streaming');
    const res = await post(tradesUrl('create_order'), await signedOrder(facade, { size: '0.01', price: price(), buy: true, postOnly: true }), session);
    expect(res.status).toBe(200);
  });
});
