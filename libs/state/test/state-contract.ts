import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Decimal, type Fill, type OrderEvent, D, dec, seededRandom, sideSign, toText } from '@perpetua/core';
import { applyFillToPosition } from '../src/position-ledger.js';
import { emptyPosition } from '../src/position.js';
import type { StateStore } from '../src/state-store.js';
import { StateClosedError, StateCorruptError, StateFencedError, StateInputError } from '../src/state-errors.js';
import { ACCOUNT, SYMBOL, VENUE, generateFills, makeFill } from './fill-generator.js';

/**
 * The one contract every StateStore passes (memory and Redis). A harness gives
 * clients onto one shared store (for Redis: separate connections under a fresh
 * key prefix), and, where the backend can be tampered with from outside, ways to
 * write bad data into it.
 */
export interface StateStoreHarness {
  /** A new client onto the same data. */
  connect(): Promise<StateStore>;
  corrupt?: {
    setPositionField(venue: string, account: string, symbol: string, field: string, value: string): Promise<void>;
    deletePositionField(venue: string, account: string, symbol: string, field: string): Promise<void>;
    setHaltRaw(raw: string): Promise<void>;
    setOpenOrdersRaw(venue: string, account: string, raw: string): Promise<void>;
  };
  /** True when clients really run side by side (separate connections), so their writes must interleave. */
  interleaves?: boolean;
  /** Closes every client it handed out and drops the data. */
  dispose(): Promise<void>;
}

const CLIENTS = 4;
const N = 1_000;

const sum = (xs: Decimal[]): Decimal => xs.reduce(D.add, D.ZERO);
const signedQty = (f: Fill): Decimal => (sideSign(f.side) === 1 ? dec(f.qty) : D.neg(dec(f.qty)));

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function order(clientOrderId: string, overrides: Partial<OrderEvent> = {}): OrderEvent {
  return {
    venue: VENUE,
    account: ACCOUNT,
    symbol: SYMBOL,
    clientOrderId,
    venueOrderId: `v-${clientOrderId}`,
    side: 'buy',
    price: '1000.1',
    qty: '0.5',
    filledQty: '0',
    status: 'new',
    ts: 1_700_000_000_000,
    ...overrides,
  };
}

/** Everything the store says about the position agrees with the fills and with its own fill log. */
async function expectConsistent(store: StateStore, fills: Fill[]): Promise<void> {
  const pos = await store.getPosition(VENUE, ACCOUNT, SYMBOL);
  expect(pos).toBeDefined();
  expect(pos!.qty).toBe(toText(sum(fills.map(signedQty))));
  expect(pos!.fees).toBe(toText(sum(fills.map((f) => dec(f.fee)))));
  expect(pos!.fills).toBe(fills.length);

  const log = await store.fillLog(VENUE, ACCOUNT, SYMBOL);
  expect(log).toHaveLength(fills.length);
  expect(new Set(log)).toEqual(new Set(fills.map((f) => f.fillId)));

  // avgEntry and realized PnL are path-dependent: they must equal the ledger replayed in the store's own order.
  const byId = new Map(fills.map((f) => [f.fillId, f]));
  const replayed = log.reduce((p, id) => applyFillToPosition(p, byId.get(id)!), emptyPosition(VENUE, ACCOUNT, SYMBOL));
  expect(pos).toEqual(replayed);
}

export function stateStoreContract(name: string, makeHarness: () => Promise<StateStoreHarness>): void {
  describe(`StateStore contract: ${name}`, () => {
    let h: StateStoreHarness;
    let store: StateStore;

    beforeEach(async () => {
      h = await makeHarness();
      store = await h.connect();
    });
    afterEach(async () => {
      await h.dispose();
    });

    it('starts empty', async () => {
      expect(await store.getPosition(VENUE, ACCOUNT, SYMBOL)).toBeUndefined();
      expect(await store.listPositions()).toEqual([]);
      expect(await store.fillLog(VENUE, ACCOUNT, SYMBOL)).toEqual([]);
      expect(await store.hasFill(VENUE, 'x')).toBe(false);
      expect(await store.getHalt()).toEqual({ halted: false });
      expect(await store.loadOpenOrders(VENUE, ACCOUNT)).toEqual([]);
    });

    it('books a fill with the ledger and returns the new position', async () => {
      const f = makeFill('a', { side: 'sell', ticks: 10_005, lots: 1_500, feeUnits: -3 });
      const r = await store.applyFill(f);
      expect(r.applied).toBe(true);
      const expected = applyFillToPosition(emptyPosition(VENUE, ACCOUNT, SYMBOL), f);
      expect(r.position).toEqual(expected);
      expect(r.position).toMatchObject({ qty: '-1.5', avgEntry: '1000.5', realizedPnl: '0', fees: '-0.0003', fills: 1 });
      expect(await store.getPosition(VENUE, ACCOUNT, SYMBOL)).toEqual(expected);
      expect(await store.hasFill(VENUE, 'a')).toBe(true);
      expect(await store.fillLog(VENUE, ACCOUNT, SYMBOL)).toEqual(['a']);
    });

    it('counts the same fill applied twice once', async () => {
      const f = makeFill('dup', { side: 'buy', ticks: 10_000, lots: 1_000, feeUnits: 5 });
      const first = await store.applyFill(f);
      const second = await store.applyFill(f);
      expect(first.applied).toBe(true);
      expect(second.applied).toBe(false);
      expect(second.position).toEqual(first.position);
      const other = await h.connect();
      expect((await other.applyFill({ ...f, price: '5' })).applied).toBe(false); // same id, whatever else it says
      expect((await store.getPosition(VENUE, ACCOUNT, SYMBOL))!.fills).toBe(1);
      expect(await store.fillLog(VENUE, ACCOUNT, SYMBOL)).toEqual(['dup']);
    });

    it('scopes fill ids by venue', async () => {
      const f = makeFill('same-id', { side: 'buy', ticks: 10_000, lots: 1_000, feeUnits: 0 });
      expect((await store.applyFill(f)).applied).toBe(true);
      expect((await store.applyFill({ ...f, venue: 'other' })).applied).toBe(true);
      expect(await store.hasFill('other', 'same-id')).toBe(true);
      expect(await store.hasFill('third', 'same-id')).toBe(false);
      // Reused within the venue for another position: still a duplicate, and that position stays empty.
      const reused = await store.applyFill({ ...f, account: 'acct-9' });
      expect(reused.applied).toBe(false);
      expect(reused.position).toMatchObject({ account: 'acct-9', qty: '0', fills: 0 });
      expect(await store.getPosition(VENUE, 'acct-9', SYMBOL)).toBeUndefined();
    });

    it('books a trade told without the venue id (id from content) and again with it once, in either order, across clients', async () => {
      const spec = { side: 'buy', ticks: 10_000, lots: 1_000, feeUnits: 2 } as const;
      const content = { venueOrderId: 'o-1', tsExchange: 1_700_000_000_123 };
      const streamed: Fill = makeFill('sx-o-1-1700000000123-1000-1', spec, { ...content, idFromContent: true });
      const history = makeFill('9001', spec, content);
      expect((await store.applyFill(streamed)).applied).toBe(true);
      // Another client (a restarted router's, risk's after a restart): the store remembers, not the process.
      const other = await h.connect();
      expect(await other.isFillBooked(history)).toBe(true);
      expect((await other.applyFill(history)).applied).toBe(false);
      expect(await other.hasFill(VENUE, '9001')).toBe(true);
      expect((await other.applyFill(history)).applied).toBe(false);
      expect((await store.applyFill(streamed)).applied).toBe(false);
      // A second trade of the same order, time, price and size, with its own venue id: a trade of its own.
      const twin = makeFill('9002', spec, content);
      expect(await store.isFillBooked(twin)).toBe(false);
      expect((await store.applyFill(twin)).applied).toBe(true);
      expect(await store.fillLog(VENUE, ACCOUNT, SYMBOL)).toEqual([streamed.fillId, '9002']);
      expect((await store.getPosition(VENUE, ACCOUNT, SYMBOL))!.fills).toBe(2);

      // The other order: the history first, the stream's copy after it is a duplicate.
      const later = { venueOrderId: 'o-2', tsExchange: 1_700_000_000_456 };
      expect((await store.applyFill(makeFill('9003', spec, later))).applied).toBe(true);
      const lateStream = makeFill('sx-o-2', spec, { ...later, idFromContent: true });
      expect(await store.isFillBooked(lateStream)).toBe(true);
      expect((await store.applyFill(lateStream)).applied).toBe(false);
      expect((await store.getPosition(VENUE, ACCOUNT, SYMBOL))!.fills).toBe(3);
    });

    it('never takes two venue-id fills of one content for one trade, and keeps content apart per venue', async () => {
      const spec = { side: 'sell', ticks: 10_000, lots: 5, feeUnits: 0 } as const;
      const content = { venueOrderId: 'o-3', tsExchange: 1_700_000_000_789 };
      for (const id of ['a1', 'a2', 'a3']) expect((await store.applyFill(makeFill(id, spec, content))).applied).toBe(true);
      const streamed = makeFill('sx-o-3', spec, { ...content, idFromContent: true });
      expect((await store.applyFill({ ...streamed, venue: 'other' })).applied).toBe(true);
      expect((await store.applyFill(streamed)).applied).toBe(false);
      expect((await store.getPosition(VENUE, ACCOUNT, SYMBOL))!.fills).toBe(3);
    });

    it('keeps the fill log in the order fills were applied', async () => {
      const fills = generateFills(20, 7);
      for (const f of fills) await store.applyFill(f);
      expect(await store.fillLog(VENUE, ACCOUNT, SYMBOL)).toEqual(fills.map((f) => f.fillId));
      await expectConsistent(store, fills);
    });

    it('lists every position, sorted by venue, account, symbol', async () => {
      const base = makeFill('l', { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 });
      await store.applyFill({ ...base, fillId: 'l1', symbol: 'ETH-PERP' });
      await store.applyFill({ ...base, fillId: 'l2', account: 'acct-0' });
      await store.applyFill({ ...base, fillId: 'l3', venue: 'alpha' });
      await store.applyFill({ ...base, fillId: 'l4' });
      const list = await (await h.connect()).listPositions();
      expect(list.map((p) => `${p.venue}/${p.account}/${p.symbol}`)).toEqual([
        'alpha/acct-1/BTC-PERP',
        'sim/acct-0/BTC-PERP',
        'sim/acct-1/BTC-PERP',
        'sim/acct-1/ETH-PERP',
      ]);
      expect(list.every((p) => p.qty === '0.001' && p.fills === 1)).toBe(true);
    });

    it('refuses a malformed fill and records nothing', async () => {
      const good = makeFill('bad', { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 });
      for (const bad of [{ ...good, qty: '-1' }, { ...good, price: 'abc' }, { ...good, symbol: 'btc' }, { ...good, fillId: '' }]) {
        await expect(store.applyFill(bad)).rejects.toThrow(StateInputError);
      }
      expect(await store.hasFill(VENUE, 'bad')).toBe(false);
      expect(await store.getPosition(VENUE, ACCOUNT, SYMBOL)).toBeUndefined();
    });

    it(`applies ${N} mixed fills from ${CLIENTS} concurrent clients exactly`, async () => {
      const fills = generateFills(N, 42);
      const clients = [store, ...(await Promise.all(Array.from({ length: CLIENTS - 1 }, () => h.connect())))];
      const results = await Promise.all(clients.map((c, k) => Promise.all(fills.filter((_, i) => i % CLIENTS === k).map((f) => c.applyFill(f)))));
      expect(results.flat().every((r) => r.applied)).toBe(true);
      await expectConsistent(clients[1]!, fills);
      if (h.interleaves) {
        // Proof the clients raced: the log switches between clients' fills many times.
        const owner = new Map(fills.map((f, i) => [f.fillId, i % CLIENTS]));
        const log = await store.fillLog(VENUE, ACCOUNT, SYMBOL);
        const switches = log.filter((id, i) => i > 0 && owner.get(id) !== owner.get(log[i - 1]!)).length;
        expect(switches).toBeGreaterThan(10);
      }
    });

    it(`applies ${N} buys from ${CLIENTS} concurrent clients with avgEntry the exact VWAP`, async () => {
      const fills = generateFills(N, 43, 'buy');
      const clients = [store, ...(await Promise.all(Array.from({ length: CLIENTS - 1 }, () => h.connect())))];
      await Promise.all(clients.map((c, k) => Promise.all(fills.filter((_, i) => i % CLIENTS === k).map((f) => c.applyFill(f)))));
      await expectConsistent(store, fills);
      const vwap = D.div(sum(fills.map((f) => D.mul(dec(f.price), dec(f.qty)))), sum(fills.map((f) => dec(f.qty))));
      const pos = await clients[2]!.getPosition(VENUE, ACCOUNT, SYMBOL);
      expect(pos!.avgEntry).toBe(toText(vwap));
      expect(pos!.realizedPnl).toBe('0');
    });

    it(`counts ${N} fills each applied twice, concurrently, once`, async () => {
      const fills = generateFills(N, 44);
      const rnd = seededRandom(99);
      const clients = [store, ...(await Promise.all(Array.from({ length: CLIENTS - 1 }, () => h.connect())))];
      // Every fill goes to two different clients, in a shuffled order on each.
      const work = clients.map((_, k) => shuffle(fills.filter((_, i) => i % CLIENTS === k || (i + 1) % CLIENTS === k), rnd));
      const results = await Promise.all(clients.map((c, k) => Promise.all(work[k]!.map((f) => c.applyFill(f)))));
      expect(results.flat()).toHaveLength(2 * N);
      expect(results.flat().filter((r) => r.applied)).toHaveLength(N);
      await expectConsistent(clients[3]!, fills);
      for (const f of fills.slice(0, 50)) expect(await store.hasFill(VENUE, f.fillId)).toBe(true);
    });

    it('books funding once per payment id, scoped to the position', async () => {
      expect(await store.applyFunding(VENUE, ACCOUNT, SYMBOL, '0.50', 'pay-1')).toBe(true);
      const p0 = await store.getPosition(VENUE, ACCOUNT, SYMBOL);
      expect(p0).toMatchObject({ qty: '0', funding: '0.5', fills: 0 });
      expect(await store.applyFunding(VENUE, ACCOUNT, SYMBOL, '0.50', 'pay-1')).toBe(false);
      expect(await (await h.connect()).applyFunding(VENUE, ACCOUNT, SYMBOL, '0.50', 'pay-1')).toBe(false);
      await store.applyFill(makeFill('ff', { side: 'buy', ticks: 10_000, lots: 1_000, feeUnits: 0 }));
      expect(await store.applyFunding(VENUE, ACCOUNT, SYMBOL, '-0.2', 'pay-2')).toBe(true);
      expect(await store.applyFunding(VENUE, ACCOUNT, 'ETH-PERP', '1', 'pay-1')).toBe(true); // another position
      const p = await store.getPosition(VENUE, ACCOUNT, SYMBOL);
      expect(p).toMatchObject({ qty: '1', avgEntry: '1000', funding: '0.3', fills: 1 });
      expect(await store.fillLog(VENUE, ACCOUNT, SYMBOL)).toEqual(['ff']); // funding is not a fill
      expect((await store.getPosition(VENUE, ACCOUNT, 'ETH-PERP'))!.funding).toBe('1');
      await expect(store.applyFunding(VENUE, ACCOUNT, SYMBOL, 'abc', 'pay-3')).rejects.toThrow(StateInputError);
      await expect(store.applyFunding(VENUE, ACCOUNT, SYMBOL, '1', '')).rejects.toThrow(StateInputError);
    });

    it('books concurrent funding payments and fills without losing either', async () => {
      const fills = generateFills(40, 5);
      const other = await h.connect();
      await Promise.all([
        ...fills.map((f, i) => (i % 2 ? store : other).applyFill(f)),
        ...Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).applyFunding(VENUE, ACCOUNT, SYMBOL, '0.01', `fp-${i}`)),
      ]);
      const p = await store.getPosition(VENUE, ACCOUNT, SYMBOL);
      expect(p!.funding).toBe('0.2');
      const log = await store.fillLog(VENUE, ACCOUNT, SYMBOL);
      const byId = new Map(fills.map((f) => [f.fillId, f]));
      const replayed = log.reduce((q, id) => applyFillToPosition(q, byId.get(id)!), emptyPosition(VENUE, ACCOUNT, SYMBOL));
      expect({ ...p, funding: '0', updatedAt: 0 }).toEqual({ ...replayed, updatedAt: 0 });
    });

    it('round-trips the halt state, across clients and restarts', async () => {
      await store.setHalt({ halted: true, reason: 'daily loss limit', since: 1_700_000_000_123 });
      expect(await (await h.connect()).getHalt()).toEqual({ halted: true, reason: 'daily loss limit', since: 1_700_000_000_123 });
      await store.close();
      const restarted = await h.connect();
      expect(await restarted.getHalt()).toEqual({ halted: true, reason: 'daily loss limit', since: 1_700_000_000_123 });
      await restarted.setHalt({ halted: false });
      expect(await restarted.getHalt()).toEqual({ halted: false });
      await expect(restarted.setHalt({ halted: 'yes' } as never)).rejects.toThrow(StateInputError);
    });

    it('round-trips open orders per venue account, replacing on save', async () => {
      const orders = [order('o1'), order('o2', { side: 'sell', price: '1001', filledQty: '0.1', status: 'partially_filled', trace: { router: 1_700_000_000_001 } })];
      await store.saveOpenOrders(VENUE, ACCOUNT, orders);
      const other = await h.connect();
      expect(await other.loadOpenOrders(VENUE, ACCOUNT)).toEqual(await store.loadOpenOrders(VENUE, ACCOUNT));
      expect((await other.loadOpenOrders(VENUE, ACCOUNT)).map((o) => o.clientOrderId)).toEqual(['o1', 'o2']);
      expect(await other.loadOpenOrders(VENUE, 'acct-2')).toEqual([]);
      await store.saveOpenOrders(VENUE, ACCOUNT, [order('o3')]);
      expect(await other.loadOpenOrders(VENUE, ACCOUNT)).toEqual([order('o3')]);
      await store.saveOpenOrders(VENUE, ACCOUNT, []);
      expect(await other.loadOpenOrders(VENUE, ACCOUNT)).toEqual([]);
      await expect(store.saveOpenOrders(VENUE, ACCOUNT, [order('x', { venue: 'elsewhere' })])).rejects.toThrow(StateInputError);
      await expect(store.saveOpenOrders(VENUE, ACCOUNT, [{ ...order('x'), qty: 'lots' }])).rejects.toThrow(StateInputError);
    });

    it('keeps a fill watermark per venue account that only moves forward', async () => {
      expect(await store.getFillWatermark(VENUE, ACCOUNT)).toBeUndefined();
      await store.advanceFillWatermark(VENUE, ACCOUNT, 1_700_000_000_500);
      const other = await h.connect();
      expect(await other.getFillWatermark(VENUE, ACCOUNT)).toBe(1_700_000_000_500);
      await other.advanceFillWatermark(VENUE, ACCOUNT, 1_700_000_000_100); // an older fill published late
      expect(await store.getFillWatermark(VENUE, ACCOUNT)).toBe(1_700_000_000_500);
      await other.advanceFillWatermark(VENUE, ACCOUNT, 1_700_000_000_900);
      expect(await store.getFillWatermark(VENUE, ACCOUNT)).toBe(1_700_000_000_900);
      expect(await store.getFillWatermark(VENUE, 'acct-2')).toBeUndefined();
      expect(await store.getFillWatermark('elsewhere', ACCOUNT)).toBeUndefined();
      await expect(store.advanceFillWatermark(VENUE, ACCOUNT, -1)).rejects.toThrow(StateInputError);
      await expect(store.advanceFillWatermark(VENUE, ACCOUNT, 1.5)).rejects.toThrow(StateInputError);
    });

    it('keeps a funding watermark per venue account, apart from the fill watermark, that only moves forward', async () => {
      expect(await store.getFundingWatermark(VENUE, ACCOUNT)).toBeUndefined();
      await store.advanceFillWatermark(VENUE, ACCOUNT, 1_700_000_009_000);
      expect(await store.getFundingWatermark(VENUE, ACCOUNT)).toBeUndefined();
      await store.advanceFundingWatermark(VENUE, ACCOUNT, 1_700_000_000_500);
      const other = await h.connect();
      expect(await other.getFundingWatermark(VENUE, ACCOUNT)).toBe(1_700_000_000_500);
      await other.advanceFundingWatermark(VENUE, ACCOUNT, 1_700_000_000_100);
      expect(await store.getFundingWatermark(VENUE, ACCOUNT)).toBe(1_700_000_000_500);
      await other.advanceFundingWatermark(VENUE, ACCOUNT, 1_700_000_000_900);
      expect(await store.getFundingWatermark(VENUE, ACCOUNT)).toBe(1_700_000_000_900);
      expect(await store.getFillWatermark(VENUE, ACCOUNT)).toBe(1_700_000_009_000);
      expect(await store.getFundingWatermark(VENUE, 'acct-2')).toBeUndefined();
      await expect(store.advanceFundingWatermark(VENUE, ACCOUNT, -1)).rejects.toThrow(StateInputError);
      await expect(store.advanceFundingWatermark(VENUE, '', 1)).rejects.toThrow(StateInputError);
    });

    it("dates a funding payment at the venue's settlement time", async () => {
      expect(await store.applyFunding(VENUE, ACCOUNT, SYMBOL, '0.1', 'at-1', 1_700_000_000_000)).toBe(true);
      expect((await store.getPosition(VENUE, ACCOUNT, SYMBOL))!.updatedAt).toBe(1_700_000_000_000);
      expect(await store.applyFunding(VENUE, ACCOUNT, SYMBOL, '0.1', 'at-2', 1_600_000_000_000)).toBe(true); // never moves back
      expect((await store.getPosition(VENUE, ACCOUNT, SYMBOL))!.updatedAt).toBe(1_700_000_000_000);
    });

    it('returns copies: mutating a result changes nothing stored', async () => {
      const r = await store.applyFill(makeFill('m', { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 }));
      r.position.qty = '999';
      const orders = [order('o1')];
      await store.saveOpenOrders(VENUE, ACCOUNT, orders);
      orders[0]!.qty = '999';
      (await store.loadOpenOrders(VENUE, ACCOUNT))[0]!.qty = '998';
      expect((await store.getPosition(VENUE, ACCOUNT, SYMBOL))!.qty).toBe('0.001');
      expect((await store.loadOpenOrders(VENUE, ACCOUNT))[0]!.qty).toBe('0.5');
    });

    it('fencing: a write with a token older than one its scope has seen is refused and changes nothing; scopes are apart', async () => {
      let oldToken: number | undefined = 5;
      let newToken: number | undefined = 9;
      const old = store.fenced({ scope: 'risk', token: () => oldToken });
      const next = (await h.connect()).fenced({ scope: 'risk', token: () => newToken });
      const router = store.fenced({ scope: 'router:binanceusdm:main', token: () => 3 });
      expect((await old.applyFill(makeFill('f1', { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 }))).applied).toBe(true);
      // The new leader writes: from now on token 5 is stale, for every kind of write.
      expect((await next.applyFill(makeFill('f2', { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 }))).applied).toBe(true);
      await expect(old.applyFill(makeFill('f3', { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 }))).rejects.toThrow(StateFencedError);
      await expect(old.applyFunding(VENUE, ACCOUNT, SYMBOL, '1', 'p1')).rejects.toThrow(StateFencedError);
      await expect(old.setHalt({ halted: true, reason: 'stale' })).rejects.toThrow(StateFencedError);
      await expect(old.saveOpenOrders(VENUE, ACCOUNT, [order('o1')])).rejects.toThrow(StateFencedError);
      await expect(old.saveOpenOrders(VENUE, ACCOUNT, [])).rejects.toThrow(StateFencedError);
      await expect(old.advanceFillWatermark(VENUE, ACCOUNT, 1_700_000_000_000)).rejects.toThrow(StateFencedError);
      expect(await store.fillLog(VENUE, ACCOUNT, SYMBOL)).toEqual(['f1', 'f2']);
      expect(await store.hasFill(VENUE, 'f3')).toBe(false);
      expect(await store.getHalt()).toEqual({ halted: false });
      expect(await store.loadOpenOrders(VENUE, ACCOUNT)).toEqual([]);
      expect(await store.getFillWatermark(VENUE, ACCOUNT)).toBeUndefined();
      // Reads through a stale view still work; the same token again is the same leader.
      expect((await old.getPosition(VENUE, ACCOUNT, SYMBOL))?.fills).toBe(2);
      await next.setHalt({ halted: true, reason: 'current leader' });
      await next.saveOpenOrders(VENUE, ACCOUNT, [order('o2')]);
      await next.advanceFillWatermark(VENUE, ACCOUNT, 1_700_000_000_000);
      expect(await store.getHalt()).toMatchObject({ halted: true });
      // Another scope's fence is its own; a view without a token (not leader) writes nothing.
      await router.saveOpenOrders(VENUE, ACCOUNT, [order('o3')]);
      oldToken = undefined;
      await expect(old.setHalt({ halted: false })).rejects.toThrow(StateFencedError);
      newToken = 10;
      await next.setHalt({ halted: false });
      expect(await store.getHalt()).toEqual({ halted: false });
      // Unfenced writes (a single process, or an operator) are not refused.
      await store.setHalt({ halted: true, reason: 'operator' });
      expect((await store.getHalt()).reason).toBe('operator');
    });

    it('refuses to work after close', async () => {
      await store.close();
      await store.close(); // idempotent
      await expect(store.getPosition(VENUE, ACCOUNT, SYMBOL)).rejects.toThrow(StateClosedError);
      await expect(store.applyFill(makeFill('c', { side: 'buy', ticks: 1, lots: 1, feeUnits: 0 }))).rejects.toThrow(StateClosedError);
    });

    describe('bad data in the backend', () => {
      const seed = () => store.applyFill(makeFill('s', { side: 'buy', ticks: 10_000, lots: 1_000, feeUnits: 0 }));
      const cases: [string, (c: NonNullable<StateStoreHarness['corrupt']>) => Promise<void>, RegExp][] = [
        ['a non-decimal qty', (c) => c.setPositionField(VENUE, ACCOUNT, SYMBOL, 'qty', 'abc'), /qty/],
        ['a non-canonical decimal', (c) => c.setPositionField(VENUE, ACCOUNT, SYMBOL, 'fees', '0.10'), /fees/],
        ['an avgEntry that disagrees with costBasis / qty', (c) => c.setPositionField(VENUE, ACCOUNT, SYMBOL, 'avgEntry', '999'), /avgEntry/],
        ['a missing version', (c) => c.deletePositionField(VENUE, ACCOUNT, SYMBOL, 'version'), /version/],
        ['a negative fill count', (c) => c.setPositionField(VENUE, ACCOUNT, SYMBOL, 'fills', '-1'), /fills/],
        ['a hash naming another position', (c) => c.setPositionField(VENUE, ACCOUNT, SYMBOL, 'account', 'someone-else'), /someone-else/],
      ];
      for (const [what, corrupt, mentions] of cases) {
        it(`reports ${what} instead of booking on it`, async (ctx) => {
          if (!h.corrupt) return ctx.skip();
          await seed();
          await corrupt(h.corrupt);
          await expect(store.getPosition(VENUE, ACCOUNT, SYMBOL)).rejects.toThrow(StateCorruptError);
          await expect(store.getPosition(VENUE, ACCOUNT, SYMBOL)).rejects.toThrow(mentions);
          await expect(store.listPositions()).rejects.toThrow(StateCorruptError);
          await expect(store.applyFill(makeFill('next', { side: 'buy', ticks: 10_000, lots: 1, feeUnits: 0 }))).rejects.toThrow(StateCorruptError);
          await expect(store.applyFunding(VENUE, ACCOUNT, SYMBOL, '1', 'p')).rejects.toThrow(StateCorruptError);
          expect(await store.hasFill(VENUE, 'next')).toBe(false);
          expect(await store.fillLog(VENUE, ACCOUNT, SYMBOL)).toEqual(['s']);
        });
      }

      it('reports a corrupt halt state and corrupt open orders', async (ctx) => {
        if (!h.corrupt) return ctx.skip();
        await h.corrupt.setHaltRaw('not json');
        await expect(store.getHalt()).rejects.toThrow(StateCorruptError);
        await h.corrupt.setHaltRaw('{"halted":"yes"}');
        await expect(store.getHalt()).rejects.toThrow(/halted/);
        await h.corrupt.setOpenOrdersRaw(VENUE, ACCOUNT, '[{"clientOrderId":1}]');
        await expect(store.loadOpenOrders(VENUE, ACCOUNT)).rejects.toThrow(StateCorruptError);
        await h.corrupt.setOpenOrdersRaw(VENUE, ACCOUNT, JSON.stringify([order('z', { account: 'other' })]));
        await expect(store.loadOpenOrders(VENUE, ACCOUNT)).rejects.toThrow(StateCorruptError);
      });
    });
  });
}
