import { afterEach, describe, expect, it } from 'vitest';
import { holdsFor } from '@perpetua/testkit';
import { createSimWorld } from '../../src/world.js';
import { startGrvtFacade, type GrvtFacade } from '../../src/facades/grvt/index.js';
import { apiClientOrderId, asJson, login, post, RpcClient, signedOrder, waitFor, type Json } from './grvt-client.js';
import { stepUntil } from '../support/wait.js';

interface Level {
  price: string;
  size: string;
}

/** Sequence numbers of a feed's non-snapshot messages must go up by exactly one, prev pointing at the last. */
function expectContiguous(msgs: Json[], first: number): void {
  let expected = first;
  for (const m of msgs) {
    if (m.sequence_number === '0') continue;
    expect(m.sequence_number).toBe(String(expected));
    expect(m.prev_sequence_number).toBe(String(expected - 1));
    expected++;
  }
}

/** A book rebuilt from a book.d feed: its snapshot, then each delta (size 0 removes a level). */
function rebuild(feeds: Json[]): { bids: Map<string, string>; asks: Map<string, string> } {
  const bids = new Map<string, string>();
  const asks = new Map<string, string>();
  for (const m of feeds) {
    const feed = asJson(m.feed);
    for (const [side, book] of [['bids', bids], ['asks', asks]] as const) {
      for (const l of feed[side] as Level[]) {
        if (l.size === '0') book.delete(l.price);
        else book.set(l.price, l.size);
      }
    }
  }
  return { bids, asks };
}

/** The best `n` levels of a rebuilt side, best first. */
const top = (book: Map<string, string>, dir: 1 | -1, n: number): Array<[string, string]> =>
  [...book.entries()].sort((a, b) => dir * (Number(a[0]) - Number(b[0]))).slice(0, n);

describe('GRVT façade streams', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function start(seed: number): Promise<{ facade: GrvtFacade; world: ReturnType<typeof createSimWorld> }> {
    const world = createSimWorld({ seed });
    const facade = await startGrvtFacade({ world, speedBumpMs: 5 });
    cleanup.push(() => facade.close());
    return { facade, world };
  }

  async function connect(url: string, session?: Awaited<ReturnType<typeof login>>): Promise<RpcClient> {
    const c = await RpcClient.connect(url, session);
    cleanup.push(() => c.close());
    return c;
  }

  it("delivers an order's fill on v1.fill and its updates on v1.order (and v1.state, v1.position) after login", async () => {
    const { facade, world } = await start(11);
    const session = await login(facade);
    const priv = await connect(facade.tradesWsUrl, session);
    const pub = await connect(facade.marketDataWsUrl);
    const sub = facade.credentials.subAccountId;
    for (const stream of ['v1.order', 'v1.fill', 'v1.position', 'v1.state']) {
      const ans = await priv.call('subscribe', { stream, selectors: [sub] });
      expect(ans.result).toMatchObject({ stream, subs: [sub], unsubs: [] });
    }
    expect(asJson((await pub.call('subscribe', { stream: 'v1.trade', selectors: ['BTC_USDT_Perp@500'] })).result).subs).toEqual([
      'BTC_USDT_Perp@500',
    ]);

    // A buy above the best ask takes liquidity at once.
    const ask = Number(world.venue('grvt').book('BTC-PERP', 1).asks[0]![0]);
    const price = (Math.ceil(ask * 1.001 * 10) / 10).toFixed(1);
    const body = await signedOrder(facade, { size: '0.002', price, buy: true, timeInForce: 'IMMEDIATE_OR_CANCEL', clientOrderId: apiClientOrderId(777) });
    const res = await post(`${facade.tradesUrl}/full/v1/create_order`, body, session);
    expect(res.status).toBe(200);
    const orderId = asJson(asJson(res.body).result).order_id;

    await waitFor(() => priv.feeds('v1.fill').length > 0 && priv.feeds('v1.order').some((m) => asJson(asJson(m.feed).state).status === 'FILLED'), 5_000, 'fill and order');
    const fill = asJson(priv.feeds('v1.fill')[0]!.feed);
    expect(fill).toMatchObject({ sub_account_id: sub, instrument: 'BTC_USDT_Perp', is_buyer: true, is_taker: true, order_id: orderId, client_order_id: apiClientOrderId(777) });
    expect(fill.signer).toBe(facade.credentials.signerAddress);
    const orders = priv.feeds('v1.order').map((m) => asJson(m.feed));
    expect(orders.every((o) => o.order_id === orderId)).toBe(true);
    expect(asJson(orders.at(-1)!.state)).toMatchObject({ status: 'FILLED', traded_size: ['0.002'], book_size: ['0'] });
    expectContiguous(priv.feeds('v1.order'), 1);
    expect(asJson(priv.feeds('v1.state').at(-1)!.feed)).toMatchObject({ order_id: orderId, client_order_id: apiClientOrderId(777) });
    await waitFor(() => priv.feeds('v1.position').length > 0, 2_000, 'position');
    expect(asJson(priv.feeds('v1.position').at(-1)!.feed)).toMatchObject({ instrument: 'BTC_USDT_Perp', size: '0.002' });
    // The same trade on the public trade stream, with the fill's trade id.
    await waitFor(() => pub.feeds('v1.trade').some((m) => asJson(m.feed).trade_id === fill.trade_id), 2_000, 'public trade');

    // fill_history over REST agrees.
    const hist = await post(`${facade.tradesUrl}/full/v1/fill_history`, { sub_account_id: sub }, session);
    expect((asJson(hist.body).result as Json[])[0]).toMatchObject({ order_id: orderId, trade_id: fill.trade_id });
  });

  it('refuses private subscriptions without a session and for a foreign sub-account', async () => {
    const { facade } = await start(12);
    await expect(RpcClient.connect(facade.tradesWsUrl)).rejects.toThrow(/401/);
    const session = await login(facade);
    const priv = await connect(facade.tradesWsUrl, session);
    const ans = await priv.call('subscribe', { stream: 'v1.order', selectors: ['123456'] });
    expect(ans.error).toMatchObject({ code: 1001 });
    const pubOnTrades = await priv.call('subscribe', { stream: 'v1.book.s', selectors: ['BTC_USDT_Perp@500-10'] });
    expect(pubOnTrades.error).toMatchObject({ code: 1004 });
  });

  it('book.d snapshot + deltas rebuild the engine book exactly, sequence numbers +1 each; book.s matches the top 10', async () => {
    const { facade, world } = await start(21);
    const engine = world.venue('grvt');
    const md = await connect(facade.marketDataWsUrl);
    const dAns = await md.call('subscribe', { stream: 'v1.book.d', selectors: ['BTC_USDT_Perp@50'] });
    expect(asJson(dAns.result)).toMatchObject({ num_snapshots: [1] });
    const firstSeq = Number((asJson(dAns.result).first_sequence_number as string[])[0]);
    await md.call('subscribe', { stream: 'v1.book.s', selectors: ['BTC_USDT_Perp@500-10'] });

    // The world moves (background quotes are re-laid and takers sweep levels) for some 300 ms of deltas.
    const deltasOf = () => md.feeds('v1.book.d', 'BTC_USDT_Perp@50');
    await stepUntil(world, () => deltasOf().length >= 7, 5_000, 8, 'book deltas');
    // Frozen: wait for the last delta (50 ms) and a fresh snapshot (500 ms) to go out, i.e. for both to agree with the engine.
    const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
    const levels = (side: unknown): Array<[string, string]> => (side as Level[]).map((l) => [l.price, l.size]);
    await waitFor(
      () => {
        const ours = rebuild(deltasOf());
        const all = engine.book('BTC-PERP');
        const snap = md.feeds('v1.book.s', 'BTC_USDT_Perp@500-10').at(-1);
        const top10 = engine.book('BTC-PERP', 10);
        return (
          same(top(ours.bids, -1, 10_000), all.bids) &&
          same(top(ours.asks, 1, 10_000), all.asks) &&
          snap !== undefined &&
          same(levels(asJson(snap.feed).bids), top10.bids) &&
          same(levels(asJson(snap.feed).asks), top10.asks)
        );
      },
      3_000,
      'the last delta and a fresh book.s snapshot',
    );

    const deltas = deltasOf();
    expect(deltas[0]!.sequence_number).toBe('0');
    expect(deltas.length).toBeGreaterThan(5);
    expectContiguous(deltas, firstSeq);

    const { bids, asks } = rebuild(deltas);
    const truth = engine.book('BTC-PERP', 20);
    expect(truth.bids.length).toBe(20);
    expect(top(bids, -1, 20)).toEqual(truth.bids);
    expect(top(asks, 1, 20)).toEqual(truth.asks);
    // The whole book, not only its top.
    const all = engine.book('BTC-PERP');
    expect(top(bids, -1, 10_000)).toEqual(all.bids);
    expect(top(asks, 1, 10_000)).toEqual(all.asks);

    const snaps = md.feeds('v1.book.s', 'BTC_USDT_Perp@500-10');
    const last = asJson(snaps.at(-1)!.feed);
    const top10 = engine.book('BTC-PERP', 10);
    expect((last.bids as Level[]).map((l) => [l.price, l.size])).toEqual(top10.bids);
    expect((last.asks as Level[]).map((l) => [l.price, l.size])).toEqual(top10.asks);
    expectContiguous(snaps, Number(snaps.find((m) => m.sequence_number !== '0')?.sequence_number ?? 1));
  });

  it('serves mini and ticker snapshots periodically and unsubscribes', async () => {
    const { facade } = await start(31);
    const md = await connect(facade.marketDataWsUrl);
    await md.call('subscribe', { stream: 'v1.mini.s', selectors: ['ETH_USDT_Perp@200'] });
    await md.call('subscribe', { stream: 'v1.ticker.s', selectors: ['BTC_USDT_Perp@500'] });
    await waitFor(() => md.feeds('v1.mini.s').length >= 3 && md.feeds('v1.ticker.s').length >= 2, 3_000, 'tickers');
    expect(asJson(md.feeds('v1.mini.s')[0]!.feed)).toMatchObject({ instrument: 'ETH_USDT_Perp' });
    expect(asJson(md.feeds('v1.ticker.s').at(-1)!.feed)).toHaveProperty('funding_rate');
    const un = await md.call('unsubscribe', { stream: 'v1.mini.s', selectors: ['ETH_USDT_Perp@200'] });
    expect(asJson(un.result).unsubs).toEqual(['ETH_USDT_Perp@200']);
    const count = md.feeds('v1.mini.s').length;
    await holdsFor(() => md.feeds('v1.mini.s').length === count, 450, 'no v1.mini.s after the unsubscribe');
    expect(md.feeds('v1.mini.s').length).toBe(count);
  });

  it('passes every outgoing WS message through the traffic hooks (a dropped delta shows as a gap)', async () => {
    const { facade, world } = await start(41);
    const seen: string[] = [];
    facade.setTrafficHooks({
      onWsSend: (msg) => {
        seen.push(msg.stream ?? 'rpc');
        return msg.stream === 'v1.book.d' && msg.sequenceNumber === '2' ? null : msg.text;
      },
    });
    const md = await connect(facade.marketDataWsUrl);
    await md.call('subscribe', { stream: 'v1.book.d', selectors: ['BTC_USDT_Perp@50'] });
    await stepUntil(world, () => md.feeds('v1.book.d').length >= 4, 3_000, 10, 'deltas');
    const seqs = md.feeds('v1.book.d').map((m) => m.sequence_number);
    expect(seqs).toContain('1');
    expect(seqs).not.toContain('2');
    expect(seqs).toContain('3');
    expect(seen).toContain('rpc');
  });
});
