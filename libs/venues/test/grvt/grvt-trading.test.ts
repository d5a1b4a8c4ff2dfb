import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dec, snapPrice, type Fill, type OrderEvent } from '@perpetua/core';
import { createSimWorld, GRVT_DIALECT_PRESETS, startGrvtFacade, type GrvtDialectInput, type GrvtFacade, type SimWorldImpl } from '@perpetua/sim';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { grvtNumericClientId } from '../../src/grvt/grvt-client-order-ids.js';
import { GrvtTrading, type GrvtTradingConfig } from '../../src/grvt/grvt-trading.js';

/** The GRVT trading adapter against the simulator's GRVT façade (login, signed orders, private socket), by URL only. */
const ENGINE_ACCOUNT = 'mm-grvt';
const SYMBOL = 'BTC-PERP';

let world: SimWorldImpl | undefined;
let facade: GrvtFacade | undefined;
/** The simulator's reading of what GRVT's docs leave open (grvt-dialect.ts). */
let dialect: GrvtDialectInput = {};
const adapters: GrvtTrading[] = [];

afterEach(async () => {
  world?.stop();
  for (const a of adapters.splice(0)) await a.close();
  await facade?.close();
  world = facade = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Seen {
  events: OrderEvent[];
  fills: Fill[];
  warnings: string[];
  /** The private stream's drops and returns, as the router hears them. */
  statuses: string[];
}

async function startWorld(): Promise<GrvtFacade> {
  world = createSimWorld({ seed: 11, clock: 'wall', venues: ['grvt'] });
  facade = await startGrvtFacade({ world, accounts: [{ engineAccountId: ENGINE_ACCOUNT }], dialect });
  world.start(20);
  await waitUntil(() => touch().bid !== undefined && touch().ask !== undefined, 5_000, 'a two-sided book');
  return facade;
}

function configFor(f: GrvtFacade, extra: Partial<GrvtTradingConfig> = {}): GrvtTradingConfig {
  return {
    account: 'mm',
    env: 'testnet',
    edgeUrl: f.edgeUrl,
    tradesUrl: f.tradesUrl,
    tradesWsUrl: f.tradesWsUrl,
    marketDataUrl: f.marketDataUrl,
    apiKey: f.credentials.apiKey,
    signerPrivateKey: f.credentials.signerPrivateKey,
    subAccountId: f.credentials.subAccountId,
    ...extra,
  };
}

async function started(extra: Partial<GrvtTradingConfig> = {}): Promise<{ adapter: GrvtTrading; seen: Seen }> {
  const f = facade ?? (await startWorld());
  const seen: Seen = { events: [], fills: [], warnings: [], statuses: [] };
  const adapter = new GrvtTrading(configFor(f, { onWarn: (m) => seen.warnings.push(m), ...extra }));
  adapters.push(adapter);
  await adapter.start({ onOrderEvent: (e) => seen.events.push(e), onFill: (x) => seen.fills.push(x), onStreamStatus: (st) => seen.statuses.push(st) });
  return { adapter, seen };
}

function touch(): { bid?: number; ask?: number } {
  const b = world!.venue('grvt').book(SYMBOL, 1);
  return { bid: b.bids[0] ? Number(b.bids[0][0]) : undefined, ask: b.asks[0] ? Number(b.asks[0][0]) : undefined };
}

/** A price `pct` away from the touch on our side (negative = through it), on the 0.1 tick. */
function priceAway(side: 'buy' | 'sell', pct: number): string {
  const t = touch();
  const ref = side === 'buy' ? t.bid! : t.ask!;
  return snapPrice({ tickSize: '0.1' }, side, (side === 'buy' ? ref * (1 - pct / 100) : ref * (1 + pct / 100)).toFixed(4));
}

const engineOpen = (): string[] => world!.venue('grvt').openOrders(ENGINE_ACCOUNT).map((o) => o.clientOrderId);
const statusesOf = (seen: Seen, id: string): string[] => seen.events.filter((e) => e.clientOrderId === id).map((e) => e.status);
let seq = 0;
const cid = (tag: string): string => `t${Date.now().toString(36)}${tag}${++seq}`;

describe('GrvtTrading against the GRVT façade', () => {
  /** The flows whose wire GRVT's docs leave open (acks, RPC envelope, stream numbering) run under every reading. */
  describe.each(Object.entries(GRVT_DIALECT_PRESETS))('in the %s dialect', (_name, d) => {
    beforeEach(() => void (dialect = d));
    afterEach(() => void (dialect = {}));

  it('rests a post-only order, rejects a crossing one with GRVT\'s reason, cancels by client id and cancels all', async () => {
    const { adapter, seen } = await started();
    const resting = cid('rest');
    const placed = await adapter.placeOrder({ clientOrderId: resting, symbol: SYMBOL, side: 'buy', type: 'limit', price: priceAway('buy', 2), qty: '0.01', tif: 'post_only', reduceOnly: false });
    expect(placed).toMatchObject({ status: 'accepted', orderStatus: 'new' });
    expect(engineOpen()).toEqual([grvtNumericClientId(resting)]);
    await waitUntil(() => statusesOf(seen, resting).includes('new'), 2_000, 'the new event');
    expect(await adapter.openOrders(SYMBOL)).toMatchObject([{ clientOrderId: resting, side: 'buy', qty: '0.01', filledQty: '0', status: 'new' }]);
    expect(await adapter.queryOrder(SYMBOL, resting)).toMatchObject({ clientOrderId: resting, status: 'new' });

    const crossing = cid('cross');
    const refused = await adapter.placeOrder({ clientOrderId: crossing, symbol: SYMBOL, side: 'buy', type: 'limit', price: priceAway('buy', -1), qty: '0.01', tif: 'post_only', reduceOnly: false });
    expect(refused).toEqual({ status: 'rejected', reason: 'FAIL_POST_ONLY' });
    await waitUntil(() => statusesOf(seen, crossing).includes('rejected'), 2_000, 'the rejected event');
    expect(seen.events.find((e) => e.clientOrderId === crossing && e.status === 'rejected')?.reason).toBe('FAIL_POST_ONLY');

    expect(await adapter.cancelOrder(SYMBOL, resting)).toBe(true);
    expect(engineOpen()).toEqual([]);
    await waitUntil(() => statusesOf(seen, resting).includes('canceled'), 2_000, 'the canceled event');
    expect(await adapter.cancelOrder(SYMBOL, resting)).toBe(false);

    const a = cid('a');
    const b = cid('b');
    for (const [id, side] of [[a, 'buy'], [b, 'sell']] as const) {
      const r = await adapter.placeOrder({ clientOrderId: id, symbol: SYMBOL, side, type: 'limit', price: priceAway(side, 2), qty: '0.01', tif: 'gtc', reduceOnly: false });
      expect(r.status).toBe('accepted');
    }
    expect(engineOpen()).toHaveLength(2);
    expect(await adapter.cancelAll(SYMBOL)).toBe(2);
    expect(engineOpen()).toEqual([]);
    await waitUntil(() => statusesOf(seen, a).includes('canceled') && statusesOf(seen, b).includes('canceled'), 2_000, 'both canceled');
    expect(await adapter.cancelAll()).toBe(0);
    // Statuses only move forward, once each.
    expect(statusesOf(seen, resting)).toEqual(['new', 'canceled']);
    expect(seen.warnings).toEqual([]);
  });

  it('reports each fill of a marketable order once, the order reaches filled, positions equal the engine\'s', async () => {
    const { adapter, seen } = await started();
    const id = cid('mkt');
    const r = await adapter.placeOrder({ clientOrderId: id, symbol: SYMBOL, side: 'buy', type: 'market', qty: '0.05', tif: 'ioc', reduceOnly: false });
    expect(r).toMatchObject({ status: 'accepted', orderStatus: 'filled' });
    await waitUntil(() => statusesOf(seen, id).includes('filled'), 3_000, 'the filled event');
    const total = (): bigint => seen.fills.filter((f) => f.clientOrderId === id).reduce((s, f) => s + dec(f.qty), 0n);
    await waitUntil(() => total() === dec('0.05'), 3_000, 'fills adding up to the order');
    await holdsFor(() => total() === dec('0.05'), 300, 'no fill beyond the order', 10);
    const mine = seen.fills.filter((f) => f.clientOrderId === id);
    expect(new Set(mine.map((f) => f.fillId)).size).toBe(mine.length);
    expect(total()).toBe(dec('0.05'));
    expect(mine.every((f) => f.liquidity === 'taker' && f.side === 'buy' && f.venueOrderId === (r.status === 'accepted' ? r.venueOrderId : ''))).toBe(true);
    const engineFills = world!.venue('grvt').fills(ENGINE_ACCOUNT);
    expect(mine.map((f) => dec(f.fee))).toEqual(engineFills.map((f) => dec(f.fee)));

    const engine = world!.venue('grvt').position(ENGINE_ACCOUNT, SYMBOL);
    const positions = await adapter.positions();
    expect(positions).toHaveLength(1);
    expect(positions[0]!.symbol).toBe(SYMBOL);
    expect(dec(positions[0]!.qty)).toBe(dec(engine.qty));
    expect(dec(positions[0]!.avgEntry)).toBe(dec(engine.entryPrice));

    const [bal] = await adapter.balance();
    const engineBalance = world!.venue('grvt').balance(ENGINE_ACCOUNT);
    expect(bal).toMatchObject({ asset: 'USDT' });
    expect(dec(bal!.total)).toBe(dec(engineBalance.wallet));
    expect(seen.warnings).toEqual([]);
  });

  it('answers unknown when create_order times out, and resolves it by query', async () => {
    await startWorld();
    const { adapter, seen } = await started({ requestTimeoutMs: 300 });
    facade!.setTrafficHooks({ onRest: (req) => (req.path.endsWith('/create_order') ? new Promise(() => {}) : undefined) });
    const lost = cid('lost');
    const r = await adapter.placeOrder({ clientOrderId: lost, symbol: SYMBOL, side: 'buy', type: 'limit', price: priceAway('buy', 2), qty: '0.01', tif: 'post_only', reduceOnly: false });
    expect(r.status).toBe('unknown');
    // The request never reached the venue: the query says there is no such order.
    expect(await adapter.queryOrder(SYMBOL, lost)).toBeUndefined();

    // Late rather than lost: the order exists once the venue gets to it, and the query finds it.
    facade!.setTrafficHooks({ onRest: (req) => (req.path.endsWith('/create_order') ? sleep(600).then(() => undefined) : undefined) });
    const late = cid('late');
    const r2 = await adapter.placeOrder({ clientOrderId: late, symbol: SYMBOL, side: 'buy', type: 'limit', price: priceAway('buy', 2), qty: '0.01', tif: 'post_only', reduceOnly: false });
    expect(r2.status).toBe('unknown');
    await waitUntil(() => engineOpen().includes(grvtNumericClientId(late)) && statusesOf(seen, late).includes('new'), 3_000, 'the late order at the venue and its event');
    facade!.setTrafficHooks({});
    expect(await adapter.queryOrder(SYMBOL, late)).toMatchObject({ clientOrderId: late, status: 'new', qty: '0.01' });
    expect(statusesOf(seen, late)).toEqual(['new']);
    expect(engineOpen()).toEqual([grvtNumericClientId(late)]);
  });

  it('leaves no order behind once its heartbeats stop (cancel-on-disconnect)', async () => {
    const { adapter } = await started({ cancelOnDisconnectMs: 2_000 });
    const id = cid('cod');
    const r = await adapter.placeOrder({ clientOrderId: id, symbol: SYMBOL, side: 'sell', type: 'limit', price: priceAway('sell', 2), qty: '0.01', tif: 'post_only', reduceOnly: false });
    expect(r.status).toBe('accepted');
    await sleep(3_000); // longer than the countdown: the heartbeats keep it armed
    expect(engineOpen()).toEqual([grvtNumericClientId(id)]);
    await adapter.close();
    expect(engineOpen()).toEqual([grvtNumericClientId(id)]);
    await waitUntil(() => engineOpen().length === 0, 4_000, 'the façade to cancel on disconnect');
    const closed = world!.venue('grvt').getOrder(ENGINE_ACCOUNT, SYMBOL, { clientOrderId: grvtNumericClientId(id) });
    expect(closed?.status).toBe('canceled');
  });

  it('reports a fill missed while the private stream was down once, after reconnecting', async () => {
    const { adapter, seen } = await started();
    let dropped = false;
    let histories = 0;
    facade!.setTrafficHooks({
      onRest: (req) => {
        if (req.path.endsWith('/fill_history')) histories++;
        return undefined;
      },
      onWsSend: (m) => {
        if (!dropped && m.host === 'trades' && m.stream === 'v1.fill') {
          dropped = true;
          return { close: 4000 };
        }
        return m.text;
      },
    });
    const id = cid('gap');
    const r = await adapter.placeOrder({ clientOrderId: id, symbol: SYMBOL, side: 'sell', type: 'market', qty: '0.03', tif: 'ioc', reduceOnly: false });
    expect(r).toMatchObject({ status: 'accepted', orderStatus: 'filled' });
    expect(dropped).toBe(true);
    const total = (x: string): bigint => seen.fills.filter((f) => f.clientOrderId === x).reduce((s, f) => s + dec(f.qty), 0n);
    await waitUntil(() => total(id) === dec('0.03'), 5_000, 'the missed fills from fill_history');
    expect(histories).toBeGreaterThan(0); // the fills came from the catch-up, not the stream
    expect(facade!.wsConnectionCount('trades')).toBe(1);
    // The router hears the drop and the resubscription, so it reconciles.
    expect(seen.statuses).toEqual(['down', 'connected']);

    // The reconnected stream works and repeats nothing.
    const after = cid('after');
    await adapter.placeOrder({ clientOrderId: after, symbol: SYMBOL, side: 'buy', type: 'market', qty: '0.02', tif: 'ioc', reduceOnly: false });
    await waitUntil(() => total(after) === dec('0.02'), 3_000, 'fills after the reconnect');
    const fillsSeen = seen.fills.length;
    await holdsFor(() => seen.fills.length === fillsSeen, 300, 'no fill repeated', 10);
    const ids = seen.fills.map((f) => f.fillId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(total(id)).toBe(dec('0.03'));
    expect(world!.venue('grvt').fills(ENGINE_ACCOUNT).length).toBe(seen.fills.length);
    // Whatever got through before the drop ('new'), the order ends filled, each status once.
    const statuses = statusesOf(seen, id);
    expect(statuses.at(-1)).toBe('filled');
    expect(new Set(statuses).size).toBe(statuses.length);
  });

  });

  it('fillsSince lists every fill at or after a time across fill_history pages (1000 a page), with the stream\'s fill ids', async () => {
    const { adapter, seen } = await started();
    const engine = world!.venue('grvt');
    const count = () => engine.fills(ENGINE_ACCOUNT, { limit: 100_000 }).length;
    // Fills on the account straight through the engine (GRVT client ids are numbers): more than one fill_history page.
    for (let i = 0; count() < 1_050 && i < 5_000; i++) {
      engine.placeOrder({ accountId: ENGINE_ACCOUNT, symbol: SYMBOL, side: i % 2 === 0 ? 'buy' : 'sell', type: 'market', qty: '0.001', tif: 'ioc', clientOrderId: String(900_000 + i) });
      if (i % 50 === 0) await sleep(1);
    }
    const truth = engine.fills(ENGINE_ACCOUNT, { limit: 100_000 });
    expect(truth.length).toBeGreaterThan(1_000);
    await waitUntil(() => seen.fills.length >= truth.length, 20_000, 'every fill on the stream');

    const all = await adapter.fillsSince(truth[0]!.ts);
    expect(all.map((f) => f.fillId).sort()).toEqual(seen.fills.map((f) => f.fillId).sort());
    expect(all.map((f) => f.fillId).sort()).toEqual(truth.map((f) => `${f.tradeId}-1:${f.liquidity === 'taker' ? 't' : 'm'}`).sort());
    expect(all.map((f) => f.tsExchange)).toEqual(truth.map((f) => f.ts)); // oldest first, in ms
    const mid = truth[Math.floor(truth.length / 2)]!.ts;
    expect(await adapter.fillsSince(mid, [SYMBOL])).toHaveLength(truth.filter((f) => f.ts >= mid).length);
  }, 60_000);

  it("times a rate limit's pause on the adapter's clock, not the wall's (its REST clients fell back to Date.now)", async () => {
    let clock = Date.now();
    const { adapter } = await started({ now: () => clock });
    let answered = false;
    facade!.setTrafficHooks({
      onRest: (req) => (req.path.endsWith('/create_order') && !answered ? ((answered = true), { status: 429, body: { code: 1006, message: 'rate limited', status: 429 } }) : undefined),
    });
    const place = () => adapter.placeOrder({ clientOrderId: cid('clk'), symbol: SYMBOL, side: 'buy', type: 'limit', price: priceAway('buy', 2), qty: '0.01', tif: 'post_only', reduceOnly: false });
    expect(await place()).toMatchObject({ status: 'rejected', rateLimited: { retryAfterMs: 1000 } });
    // The pause is 1 s of the adapter's clock: once that clock has moved past it, the next order goes out.
    clock += 1_500;
    expect(await place()).toMatchObject({ status: 'accepted' });
  });

  it('names GRVT\'s error codes: 2090 and the signature codes are refusals by name, 1006 a rate limit, 1008 fatal without a login loop', async () => {
    const { adapter } = await started();
    const answers: Array<{ code: number; status: number }> = [
      { code: 2090, status: 429 },
      { code: 2001, status: 403 },
      { code: 1006, status: 429 },
    ];
    facade!.setTrafficHooks({
      onRest: (req) => {
        if (!req.path.endsWith('/create_order')) return undefined;
        const a = answers.shift();
        return a ? { status: a.status, body: { ...a, message: 'as GRVT words it' } } : undefined;
      },
    });
    const place = () => adapter.placeOrder({ clientOrderId: cid('e'), symbol: SYMBOL, side: 'buy', type: 'limit', price: priceAway('buy', 2), qty: '0.01', tif: 'post_only', reduceOnly: false });
    const maxOpen = await place();
    expect(maxOpen).toMatchObject({ status: 'rejected', reason: expect.stringContaining('2090 MAX_OPEN_ORDERS') });
    expect(maxOpen).not.toHaveProperty('rateLimited'); // a 429 too, but no waiting cures it
    expect(await place()).toMatchObject({ status: 'rejected', reason: expect.stringContaining('2001 SIGNATURE_EXPIRED') });
    expect(await place()).toMatchObject({ status: 'rejected', reason: expect.stringContaining('1006 RATE_LIMITED'), rateLimited: { retryAfterMs: 1000 } });
    // Within the pause, a new order is held back without reaching GRVT.
    let reached = 0;
    facade!.setTrafficHooks({ onRest: (req) => void (req.path.endsWith('/create_order') && reached++) });
    const held = await place();
    expect(held).toMatchObject({ status: 'rejected', rateLimited: {} });
    expect(reached).toBe(0);
    await waitUntil(async () => (await place()).status === 'accepted', 5_000, 'placing again after the pause');

    // 1008: the IP is not whitelisted. A clear error, and no second login however often it is called.
    let logins = 0;
    facade!.setTrafficHooks({
      onRest: (req) => {
        if (!req.path.endsWith('/api_key/login')) return undefined;
        logins++;
        return { status: 401, body: { code: 1008, message: 'Your IP has not been whitelisted for access', status: 401 } };
      },
    });
    const blocked = new GrvtTrading(configFor(facade!));
    adapters.push(blocked);
    await expect(blocked.start({ onOrderEvent: () => undefined, onFill: () => undefined })).rejects.toThrow(/1008 IP_NOT_WHITELISTED.*whitelist/);
    for (let i = 0; i < 3; i++) expect((await blocked.placeOrder({ clientOrderId: cid('ip'), symbol: SYMBOL, side: 'buy', type: 'limit', price: priceAway('buy', 2), qty: '0.01', tif: 'gtc', reduceOnly: false })).status).toBe('rejected');
    expect(logins).toBe(1);
  });

  it('logs in again after a 401 and keeps secrets out of errors', async () => {
    const { adapter } = await started();
    let refused = 0;
    facade!.setTrafficHooks({
      onRest: (req) => (req.path.endsWith('/open_orders') && refused++ === 0 ? { status: 401, body: { code: 1000, message: 'session expired', status: 401 } } : undefined),
    });
    expect(await adapter.openOrders()).toEqual([]);
    expect(refused).toBe(2);

    const f = facade!;
    const bad = new GrvtTrading(configFor(f, { apiKey: 'not-the-key-but-secret-looking' }));
    adapters.push(bad);
    const r = await bad.placeOrder({ clientOrderId: cid('bad'), symbol: SYMBOL, side: 'buy', type: 'limit', price: priceAway('buy', 2), qty: '0.01', tif: 'gtc', reduceOnly: false });
    expect(r.status).toBe('rejected');
    const reason = r.status === 'rejected' ? r.reason : '';
    expect(reason).toMatch(/login refused: HTTP 401/);
    expect(reason).not.toContain('not-the-key-but-secret-looking');
    expect(reason).not.toContain(f.credentials.signerPrivateKey.slice(2));
    await expect(bad.start({ onOrderEvent: () => undefined, onFill: () => undefined })).rejects.toThrow(/login refused/);
  });
});
