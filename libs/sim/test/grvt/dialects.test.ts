import { afterEach, describe, expect, it } from 'vitest';
import { createSimWorld } from '../../src/world.js';
import { startGrvtFacade, type GrvtFacade } from '../../src/facades/grvt/index.js';
import type { GrvtDialectInput } from '../../src/facades/grvt/grvt-dialect.js';
import { apiClientOrderId, asJson, login, post, RpcClient, signedOrder, waitFor, type Json } from './grvt-client.js';
import { stepUntil } from '../support/wait.js';

/** The façade speaks each reading of GRVT's wire the docs leave open (grvt-dialect.ts). */
describe('GRVT façade dialects', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function start(seed: number, dialect?: GrvtDialectInput): Promise<{ facade: GrvtFacade; world: ReturnType<typeof createSimWorld> }> {
    const world = createSimWorld({ seed });
    const facade = await startGrvtFacade({ world, speedBumpMs: 0, ...(dialect ? { dialect } : {}) });
    cleanup.push(() => facade.close());
    return { facade, world };
  }
  async function connect(url: string, session?: Awaited<ReturnType<typeof login>>): Promise<RpcClient> {
    const c = await RpcClient.connect(url, session);
    cleanup.push(() => c.close());
    return c;
  }
  const price = (world: ReturnType<typeof createSimWorld>): string => (Math.floor(Number(world.venue('grvt').book('BTC-PERP', 1).bids[0]![0]) * 0.95 * 10) / 10).toFixed(1);

  it('refuses a client order id below 2^63 (the UI range) with 2012 by default, and takes it in the accept dialect', async () => {
    const { facade, world } = await start(31);
    const session = await login(facade);
    const ui = await signedOrder(facade, { size: '0.01', price: price(world), buy: true, postOnly: true, clientOrderId: String((1n << 63n) - 1n) });
    const refused = await post(`${facade.tradesUrl}/full/v1/create_order`, ui, session);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 2012, status: 400 });
    expect(asJson(refused.body).message).toContain('2^63');
    expect(world.venue('grvt').openOrders(`grvt-${facade.credentials.subAccountId}`)).toEqual([]);
    const api = await signedOrder(facade, { size: '0.01', price: price(world), buy: true, postOnly: true, clientOrderId: apiClientOrderId(0) });
    expect((await post(`${facade.tradesUrl}/full/v1/create_order`, api, session)).status).toBe(200);

    facade.setDialect({ ...facade.dialect(), uiRangeClientOrderIds: 'accept' });
    const again = await signedOrder(facade, { size: '0.01', price: price(world), buy: true, postOnly: true, clientOrderId: '123' });
    expect((await post(`${facade.tradesUrl}/full/v1/create_order`, again, session)).status).toBe(200);
  });

  it('answers JSON-RPC with jsonrpc "" and acks as the string "true" when told to', async () => {
    const { facade } = await start(32, { jsonrpc: '', ack: 'string' });
    const session = await login(facade);
    const md = await connect(facade.marketDataWsUrl);
    const ans = await md.call('subscribe', { stream: 'v1.ticker.s', selectors: ['BTC_USDT_Perp@500'] });
    expect(ans.jsonrpc).toBe('');
    const bad = await md.call('subscribe', { stream: 'v1.ticker.s', selectors: ['NOPE_USDT_Perp@500'] });
    expect(bad).toMatchObject({ jsonrpc: '', error: { code: 3000 } });
    const cancel = await post(`${facade.tradesUrl}/full/v1/cancel_all_orders`, { sub_account_id: facade.credentials.subAccountId }, session);
    expect(cancel.body).toEqual({ result: { ack: 'true' } });
    const priv = await connect(facade.tradesWsUrl, session);
    const hb = await priv.call('v1/cancel_on_disconnect', { sub_account_id: facade.credentials.subAccountId, countdown_time: '0' });
    expect(hb).toMatchObject({ jsonrpc: '', result: { result: { ack: 'true' } } });
  });

  it('numbers feeds per stream: one counter shared by every instrument, prev pointing at the stream\'s last message', async () => {
    const { facade, world } = await start(33, { sequence: 'per_stream', subscribeSequence: 'both' });
    const md = await connect(facade.marketDataWsUrl);
    const ans = asJson((await md.call('subscribe', { stream: 'v1.book.d', selectors: ['BTC_USDT_Perp@50', 'ETH_USDT_Perp@50'] })).result);
    const first = (ans.first_sequence_number as string[]).map(Number);
    const latest = (ans.latest_sequence_number as string[]).map(Number);
    expect(first[0]).toBe(first[1]);
    expect(latest).toEqual(first.map((n) => n - 1));
    const deltasOf = () => md.feeds('v1.book.d').filter((m) => m.sequence_number !== '0');
    await stepUntil(world, () => deltasOf().length >= 6 && new Set(deltasOf().map((m) => m.selector)).size === 2, 5_000, 10, 'deltas of both instruments');
    const deltas = deltasOf();
    // Contiguous across the stream, not within each instrument.
    deltas.forEach((m, i) => {
      expect(Number(m.sequence_number)).toBe(first[0]! + i);
      expect(Number(m.prev_sequence_number)).toBe(first[0]! + i - 1);
    });
    expect(new Set(deltas.map((m) => m.selector)).size).toBe(2);
  });

  it('answers the subscribe with latest_sequence_number only, when told to', async () => {
    const { facade } = await start(34, { subscribeSequence: 'latest' });
    const md = await connect(facade.marketDataWsUrl);
    const ans = asJson((await md.call('subscribe', { stream: 'v1.book.d', selectors: ['BTC_USDT_Perp@50'] })).result);
    expect(ans.first_sequence_number).toBeUndefined();
    expect(ans.latest_sequence_number).toEqual(['0']);
  });

  it('sends the last trades as a snapshot (sequence 0) on subscribing to v1.trade, oldest first', async () => {
    const { facade, world } = await start(35, { tradeBacklog: true });
    const engine = world.venue('grvt');
    for (let i = 0; i < 400 && engine.recentTrades('BTC-PERP', 5).length < 5; i++) world.step();
    const recent = engine.recentTrades('BTC-PERP', 50);
    expect(recent.length).toBeGreaterThan(0);
    const md = await connect(facade.marketDataWsUrl);
    const ans = asJson((await md.call('subscribe', { stream: 'v1.trade', selectors: ['BTC_USDT_Perp@50'] })).result);
    expect(ans.num_snapshots).toEqual([recent.length]);
    await waitFor(() => md.feeds('v1.trade').length >= recent.length, 5_000, 'backlog');
    const backlog = md.feeds('v1.trade').slice(0, recent.length) as Json[];
    expect(backlog.every((m) => m.sequence_number === '0')).toBe(true);
    const times = backlog.map((m) => BigInt(asJson(m.feed).event_time as string));
    expect([...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(times);
  });
});
