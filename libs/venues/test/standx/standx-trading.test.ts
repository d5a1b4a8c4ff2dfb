import { afterEach, describe, expect, it } from 'vitest';
import { Fill, OrderEvent, dec, roundToStep, toText } from '@perpetua/core';
import { createSimWorld, startStandxFacade, type SimWorldImpl, type StandxFacade } from '@perpetua/sim';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { StandxTrading, type StandxTradingConfig } from '../../src/standx/standx-trading.js';
import { StandxAuthError } from '../../src/standx/standx-rest-errors.js';
import { TokenBucket } from '../../src/connection/token-bucket.js';
import type { StandxDialectInput } from '@perpetua/sim';
import { STANDX_DIALECTS } from './standx-dialects.js';

/** The real StandX trading adapter against the simulator's StandX façade, by URL and credentials only. */
const DEMO = 'standx-demo';
const SECOND = 'standx-second';

let world: SimWorldImpl | undefined;
let facade: StandxFacade | undefined;
let adapter: StandxTrading | undefined;

afterEach(async () => {
  world?.stop();
  await adapter?.close();
  await facade?.close();
  world = facade = adapter = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Seen {
  events: OrderEvent[];
  fills: Fill[];
  /** The private stream's drops and returns, as the router hears them. */
  statuses: string[];
}

interface Setup {
  seed?: number;
  background?: boolean;
  adapter?: Partial<StandxTradingConfig>;
  /** Run the world's clock (background liquidity and flow move). */
  run?: boolean;
  dialect?: StandxDialectInput;
}

async function started(s: Setup = {}): Promise<Seen> {
  world = createSimWorld({ seed: s.seed ?? 21, clock: 'wall', venues: ['standx'], background: s.background ?? true });
  facade = await startStandxFacade({ world, accounts: [{ accountId: DEMO }, { accountId: SECOND }], dialect: s.dialect });
  if (s.run ?? true) world.start(20);
  const { token, privateKey } = facade.credentials;
  adapter = new StandxTrading({ account: 'mm-1', restBaseUrl: facade.restUrl, wsUrl: facade.wsUrl, token, privateKey, ...s.adapter });
  const seen: Seen = { events: [], fills: [], statuses: [] };
  // Every message is checked against the bus schemas it will be published with.
  await adapter.start({ onOrderEvent: (e) => seen.events.push(OrderEvent.parse(e)), onFill: (f) => seen.fills.push(Fill.parse(f)), onStreamStatus: (st) => seen.statuses.push(st) });
  return seen;
}

const engine = () => world!.venue('standx');
const tick = () => engine().instrument('BTC-PERP')!.tickSize;
/** A price at `factor` times the current touch, on the tick. */
function priceAt(side: 'bid' | 'ask', factor: number): string {
  const book = engine().book('BTC-PERP', 1);
  const touch = Number((side === 'bid' ? book.bids : book.asks)[0]![0]);
  return toText(roundToStep(dec((touch * factor).toFixed(6)), dec(tick()), 'floor'));
}
const eventsOf = (seen: Seen, id: string) => seen.events.filter((e) => e.clientOrderId === id);
const hasEvent = (seen: Seen, id: string, status: OrderEvent['status']) => eventsOf(seen, id).some((e) => e.status === status);

describe.each(STANDX_DIALECTS)('StandX trading (against the simulator), dialect: %s', (_name, dialect) => {
  it('rests a post-only order, rejects a crossing one with the venue reason, cancels by client id and emulates cancel-all', async () => {
    const seen = await started({ dialect });
    const rest = await adapter!.placeOrder({ clientOrderId: 'q-bid-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: priceAt('bid', 0.95), qty: '0.01', tif: 'post_only', reduceOnly: false });
    // StandX acknowledges only: the order's state is not known from the reply.
    expect(rest).toEqual({ status: 'accepted', orderStatus: 'pending' });
    await waitUntil(() => hasEvent(seen, 'q-bid-1', 'new'), 5_000, 'the resting order on the order channel');
    const open = await adapter!.openOrders('BTC-PERP');
    expect(open.map((o) => o.clientOrderId)).toEqual(['q-bid-1']);
    expect(open[0]).toMatchObject({ symbol: 'BTC-PERP', side: 'buy', qty: '0.01', filledQty: '0', status: 'new' });
    expect((await adapter!.queryOrder('BTC-PERP', 'q-bid-1'))?.status).toBe('new');

    // Post-only through the touch: acked, then refused in matching with StandX's words.
    const cross = await adapter!.placeOrder({ clientOrderId: 'q-cross-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: priceAt('ask', 1.01), qty: '0.01', tif: 'post_only', reduceOnly: false });
    expect(cross.status).toBe('accepted');
    await waitUntil(() => hasEvent(seen, 'q-cross-1', 'rejected'), 5_000, 'the rejection on the order channel');
    expect(eventsOf(seen, 'q-cross-1').at(-1)).toMatchObject({ status: 'rejected', reason: 'alo order rejected', venue: 'standx', account: 'mm-1' });

    // Cancel by our client id: true once the venue says canceled; a second cancel finds nothing open.
    expect(await adapter!.cancelOrder('BTC-PERP', 'q-bid-1')).toBe(true);
    expect(eventsOf(seen, 'q-bid-1').map((e) => e.status)).toEqual(['new', 'canceled']);
    expect(await adapter!.openOrders()).toEqual([]);
    expect(await adapter!.cancelOrder('BTC-PERP', 'q-bid-1')).toBe(false);
    expect(await adapter!.cancelOrder('BTC-PERP', 'never-placed')).toBe(false);

    // Cancel-all from query_open_orders + cancel_orders, every symbol.
    const ids = ['ca-1', 'ca-2', 'ca-3'];
    for (const [i, id] of ids.entries()) {
      const buy = i < 2;
      await adapter!.placeOrder({ clientOrderId: id, symbol: 'BTC-PERP', side: buy ? 'buy' : 'sell', type: 'limit', price: buy ? priceAt('bid', 0.9 - i / 100) : priceAt('ask', 1.1), qty: '0.01', tif: 'post_only', reduceOnly: false });
    }
    await waitUntil(() => ids.every((id) => hasEvent(seen, id, 'new')), 5_000, 'three resting orders');
    expect(await adapter!.cancelAll()).toBe(3);
    for (const id of ids) expect(hasEvent(seen, id, 'canceled')).toBe(true);
    expect(await adapter!.openOrders()).toEqual([]);
    expect(engine().openOrders(DEMO)).toEqual([]);
    expect(await adapter!.cancelAll('BTC-PERP')).toBe(0);
  });

  it('reports a marketable order: each trade once as a fill, the order reaching filled, positions equal to the venue', async () => {
    const seen = await started({ seed: 22, dialect });
    const res = await adapter!.placeOrder({ clientOrderId: 'mkt-1', symbol: 'BTC-PERP', side: 'buy', type: 'market', qty: '0.05', tif: 'ioc', reduceOnly: false });
    expect(res.status).toBe('accepted');
    await waitUntil(() => hasEvent(seen, 'mkt-1', 'filled'), 5_000, 'the order filled');
    const venueFills = engine().fills(DEMO);
    await waitUntil(() => seen.fills.length >= venueFills.length, 5_000, 'every fill');
    const fillsSeen = seen.fills.length;
    await holdsFor(() => seen.fills.length === fillsSeen, 200, 'no further fill', 10);

    // Without trade ids on the stream the fill ids are made of order, time, price and size: fills match by content.
    const content = (x: { price: string; qty: string; ts?: number; tsExchange?: number }) => `${toText(dec(x.price))}|${toText(dec(x.qty))}|${x.ts ?? x.tsExchange}`;
    const withIds = dialect.tradeIds !== 'absent';
    if (withIds) expect(seen.fills.map((f) => f.fillId).sort()).toEqual(venueFills.map((f) => f.fillId).sort());
    expect(seen.fills.map(content).sort()).toEqual(venueFills.map(content).sort());
    expect(new Set(seen.fills.map((f) => f.fillId)).size).toBe(seen.fills.length);
    for (const f of seen.fills) {
      const v = venueFills.find((x) => (withIds ? x.fillId === f.fillId : content(x) === content(f)))!;
      expect(f).toMatchObject({ venue: 'standx', account: 'mm-1', symbol: 'BTC-PERP', clientOrderId: 'mkt-1', side: 'buy', liquidity: 'taker' });
      expect([f.price, f.qty, f.fee]).toEqual([v.price, v.qty, v.fee].map((x) => toText(dec(x))));
    }
    const total = seen.fills.reduce((a, f) => a + dec(f.qty), 0n);
    expect(toText(total as ReturnType<typeof dec>)).toBe('0.05');
    const last = eventsOf(seen, 'mkt-1').at(-1)!;
    expect(last).toMatchObject({ status: 'filled', filledQty: '0.05' });

    const venuePos = engine().position(DEMO, 'BTC-PERP');
    expect(await adapter!.positions()).toEqual([{ symbol: 'BTC-PERP', qty: toText(dec(venuePos.qty)), avgEntry: toText(dec(venuePos.entryPrice)) }]);
    const [bal] = await adapter!.balance();
    const venueBal = engine().balance(DEMO);
    expect(bal).toMatchObject({ total: toText(dec(venueBal.wallet)) });
    expect(Number(bal!.available)).toBeGreaterThan(0);
  });
});

describe('StandX trading (against the simulator)', () => {
  it('tells maker from taker on gtc fills by the fee rate (StandX trade records do not say)', async () => {
    const seen = await started({ seed: 23, background: false, run: false });
    const taker = new StandxTrading({ account: 'mm-2', restBaseUrl: facade!.restUrl, wsUrl: facade!.wsUrl, ...facade!.accountCredentials(SECOND) });
    const takerFills: Fill[] = [];
    try {
      await taker.start({ onOrderEvent: () => undefined, onFill: (f) => takerFills.push(f) });
      await adapter!.placeOrder({ clientOrderId: 'gtc-make', symbol: 'BTC-PERP', side: 'sell', type: 'limit', price: '100000', qty: '0.02', tif: 'gtc', reduceOnly: false });
      await waitUntil(() => hasEvent(seen, 'gtc-make', 'new'), 5_000, 'resting gtc sell');
      await taker.placeOrder({ clientOrderId: 'gtc-take', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: '100000', qty: '0.02', tif: 'gtc', reduceOnly: false });
      await waitUntil(() => seen.fills.length === 1 && takerFills.length === 1, 5_000, 'both sides filled');
      expect(seen.fills[0]).toMatchObject({ clientOrderId: 'gtc-make', liquidity: 'maker', fee: '0.2' });
      expect(takerFills[0]).toMatchObject({ clientOrderId: 'gtc-take', liquidity: 'taker', fee: '0.8' });
      expect(engine().fills(DEMO)[0]!.liquidity).toBe('maker');
    } finally {
      await taker.close();
    }
  });

  it("treats a place without an answer as 'unknown' and resolves it by query, never by re-sending", async () => {
    const seen = await started({ seed: 24, adapter: { requestTimeoutMs: 300 } });
    // The request never reaches the venue.
    facade!.setTrafficHooks({ onRest: (req) => (req.path === '/api/new_order' ? new Promise(() => undefined) : undefined) });
    const t0 = Date.now();
    const lost = await adapter!.placeOrder({ clientOrderId: 'to-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: priceAt('bid', 0.95), qty: '0.01', tif: 'post_only', reduceOnly: false });
    expect(lost.status).toBe('unknown');
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(await adapter!.queryOrder('BTC-PERP', 'to-1')).toBeUndefined();

    // The request reaches the venue, but only after we gave up on the reply.
    facade!.setTrafficHooks({ onRest: (req) => (req.path === '/api/new_order' ? sleep(600).then(() => undefined) : undefined) });
    const late = await adapter!.placeOrder({ clientOrderId: 'to-2', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: priceAt('bid', 0.95), qty: '0.01', tif: 'post_only', reduceOnly: false });
    expect(late.status).toBe('unknown');
    expect(await adapter!.queryOrder('BTC-PERP', 'to-2')).toBeUndefined(); // not there yet
    await waitUntil(() => engine().openOrders(DEMO).some((o) => o.clientOrderId === 'to-2'), 3_000, 'the late order at the venue');
    expect(await adapter!.queryOrder('BTC-PERP', 'to-2')).toMatchObject({ clientOrderId: 'to-2', status: 'new', qty: '0.01' });
    await waitUntil(() => hasEvent(seen, 'to-2', 'new'), 2_000, 'its order event');
    // Exactly one order went to the venue for each id: nothing was re-sent.
    expect(engine().openOrders(DEMO).map((o) => o.clientOrderId)).toEqual(['to-2']);
    expect(eventsOf(seen, 'to-1')).toEqual([]);
  });

  it('reports a fill missed while the private stream was down once, after the reconnect, and no fill twice', async () => {
    const seen = await started({ seed: 25, background: false, run: false });
    // Liquidity of another account: two levels, so one order makes two trades.
    for (const [price, id] of [['100000', 'lp-1'], ['100010', 'lp-2'], ['100020', 'lp-3'], ['100030', 'lp-4']] as const) {
      expect(engine().placeOrder({ accountId: SECOND, symbol: 'BTC-PERP', side: 'sell', type: 'limit', price, qty: '0.01', tif: 'gtc', clientOrderId: id }).ok).toBe(true);
    }
    // One hook set for the whole test: WS rules change per step, REST paths are logged.
    let trades = 0;
    let closes = 0;
    const restPaths: string[] = [];
    let wsRule: (channel: string) => 'send' | 'drop' | 'close' = () => 'send';
    facade!.setTrafficHooks({
      onRest: (req) => {
        restPaths.push(req.path);
        return undefined;
      },
      onWsSend: (m) => {
        if (m.channel === 'trade') trades++;
        const verdict = wsRule(m.channel);
        if (verdict === 'send') return m.text;
        wsRule = () => 'send'; // once
        if (verdict === 'drop') return null;
        closes++;
        return { close: 4000, reason: 'test drop' };
      },
    });
    const catchUps = () => restPaths.filter((p) => p === '/api/query_trades').length;

    // 1) The first trade is delivered, the connection drops instead of the second.
    wsRule = (c) => (c === 'trade' && trades === 2 ? 'close' : 'send');
    await adapter!.placeOrder({ clientOrderId: 'sweep-1', symbol: 'BTC-PERP', side: 'buy', type: 'market', qty: '0.02', tif: 'ioc', reduceOnly: false });
    await waitUntil(() => closes === 1, 5_000, 'the drop');
    await waitUntil(() => seen.fills.length === 2, 10_000, 'the missed fill, caught up after the reconnect');
    expect(catchUps()).toBe(1);
    await waitUntil(() => hasEvent(seen, 'sweep-1', 'filled'), 5_000, 'the order filled');

    // 2) A trade message lost without a close: no reconnect (a seq gap proves nothing on StandX); the order record's
    // fill_qty above the fills reported sends the catch-up to query_trades.
    wsRule = (c) => (c === 'trade' ? 'drop' : 'send');
    await adapter!.placeOrder({ clientOrderId: 'sweep-2', symbol: 'BTC-PERP', side: 'buy', type: 'market', qty: '0.01', tif: 'ioc', reduceOnly: false });
    await waitUntil(() => seen.fills.length === 3, 10_000, 'the dropped fill, caught up');
    expect(catchUps()).toBe(2);

    // 3) Still streaming, on the connection that came back after the one close.
    await adapter!.placeOrder({ clientOrderId: 'sweep-3', symbol: 'BTC-PERP', side: 'buy', type: 'market', qty: '0.01', tif: 'ioc', reduceOnly: false });
    await waitUntil(() => seen.fills.length === 4, 5_000, 'a fill on the new connection');
    await holdsFor(() => seen.fills.length === 4, 300, 'no fill twice', 10);

    const venueFills = engine().fills(DEMO);
    expect(venueFills).toHaveLength(4);
    expect(seen.fills.map((f) => f.fillId).sort()).toEqual(venueFills.map((f) => f.fillId).sort());
    expect(new Set(seen.fills.map((f) => f.fillId)).size).toBe(4);
    expect(seen.fills.filter((f) => f.clientOrderId === 'sweep-1').map((f) => f.price).sort()).toEqual(['100000', '100010']);
    expect(await adapter!.positions()).toEqual([{ symbol: 'BTC-PERP', qty: '0.04', avgEntry: '100015' }]);
    expect(catchUps()).toBe(2);
    expect(closes).toBe(1);
    // The router heard the one drop and the one return (authenticated again), so it reconciles; a lost message without a close is no reconnect.
    expect(seen.statuses).toEqual(['down', 'connected']);
  });

  it('fillsSince lists every fill at or after a time across query_trades pages (100 a page), with the stream\'s fill ids', async () => {
    const seen = await started();
    const count = () => engine().fills(DEMO, { limit: 100_000 }).length;
    // Fills on the account straight through the engine: more than two query_trades pages.
    for (let i = 0; count() < 230 && i < 2_000; i++) {
      engine().placeOrder({ accountId: DEMO, symbol: 'BTC-PERP', side: i % 2 === 0 ? 'buy' : 'sell', type: 'market', qty: '0.001', tif: 'ioc', clientOrderId: `direct-${i}` });
      if (i % 10 === 0) await sleep(1);
    }
    const truth = engine().fills(DEMO, { limit: 100_000 });
    await waitUntil(() => seen.fills.length >= truth.length, 20_000, 'every fill on the stream');

    const all = await adapter!.fillsSince(truth[0]!.ts);
    expect(all.map((f) => f.fillId)).toEqual(seen.fills.map((f) => f.fillId).sort((a, b) => Number(a) - Number(b)));
    expect(all.map((f) => f.fillId)).toEqual(truth.map((f) => f.fillId));
    expect(all.map((f) => f.tsExchange)).toEqual(truth.map((f) => f.ts));
    const mid = truth[Math.floor(truth.length / 2)]!.ts;
    expect(await adapter!.fillsSince(mid, ['BTC-PERP'])).toHaveLength(truth.filter((f) => f.ts >= mid).length);
  }, 60_000);

  it('takes a rate-limit token for every REST call and pauses after an HTTP 429', async () => {
    const limiter = new TokenBucket({ ratePerSec: 10, burst: 1 });
    await started({ seed: 27, run: false, adapter: { rateLimiter: limiter } });
    const waitsAtStart = limiter.waits;
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) await adapter!.openOrders();
    // One token in hand, then 10 a second: three of the four calls waited ~100 ms each.
    expect(limiter.waits - waitsAtStart).toBeGreaterThanOrEqual(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);

    facade!.setTrafficHooks({
      onRest: (req) => (req.path === '/api/new_order' ? { status: 429, body: { code: 429, message: 'too many requests' }, headers: { 'retry-after': '1' } } : undefined),
    });
    const limited = await adapter!.placeOrder({ clientOrderId: 'rl-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: '50000', qty: '0.01', tif: 'post_only', reduceOnly: false });
    // Refused before the venue looked at it: rejected, not unknown.
    expect(limited).toEqual({ status: 'rejected', reason: 'too many requests' });
    facade!.setTrafficHooks({});
    const t1 = Date.now();
    await adapter!.openOrders();
    expect(Date.now() - t1).toBeGreaterThanOrEqual(800); // Retry-After: 1
  });

  it('fails the first signed call with a clear StandX signature error when the private key is wrong, never printing the key', async () => {
    world = createSimWorld({ seed: 26, clock: 'wall', venues: ['standx'] });
    facade = await startStandxFacade({ world, accounts: [{ accountId: DEMO }, { accountId: SECOND }] });
    const { token } = facade.credentials;
    const wrongKey = facade.accountCredentials(SECOND).privateKey;
    adapter = new StandxTrading({ account: 'mm-1', restBaseUrl: facade.restUrl, wsUrl: facade.wsUrl, token, privateKey: wrongKey });
    await adapter.start({ onOrderEvent: () => undefined, onFill: () => undefined });
    const err = await adapter
      .placeOrder({ clientOrderId: 'k-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: '50000', qty: '0.01', tif: 'post_only', reduceOnly: false })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(StandxAuthError);
    const text = `${String(err)} ${(err as Error).stack ?? ''}`;
    expect(text).toMatch(/StandX/);
    expect(text).toMatch(/signature/);
    expect(text).not.toContain(wrongKey);
    expect(text).not.toContain(token);
    expect(engine().openOrders(DEMO)).toEqual([]);
    // A malformed key fails at construction, also without echoing it.
    expect(() => new StandxTrading({ account: 'x', token, privateKey: 'not-base58-0OIl' })).toThrow(/StandX private key/);
  });
});
