import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dec, mul, toText, type Decimal } from '@perpetua/core';
import { BTC, makeEngine } from './fixtures.js';
import type { SimEvent, SimFill, SimOrderRequest, SimPostOnlyMode, SimStpMode } from '../../src/engine/types.js';
import type { SimVenueEngine } from '../../src/engine/venue-engine.js';

const ACCOUNTS = ['alice', 'bob', 'carol'] as const;

type Op =
  | { kind: 'limit'; acct: number; side: 'buy' | 'sell'; ticks: number; lots: number; tif: 'gtc' | 'ioc' | 'fok' | 'post_only'; reduceOnly: boolean }
  | { kind: 'market'; acct: number; side: 'buy' | 'sell'; lots: number; reduceOnly: boolean }
  | { kind: 'cancel'; acct: number; pick: number }
  | { kind: 'cancelAll'; acct: number }
  | { kind: 'amend'; acct: number; pick: number; ticks: number | null; lots: number | null };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('limit' as const),
      acct: fc.integer({ min: 0, max: 2 }),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      ticks: fc.integer({ min: -12, max: 12 }),
      lots: fc.integer({ min: 1, max: 25 }),
      tif: fc.constantFrom('gtc' as const, 'gtc' as const, 'ioc' as const, 'fok' as const, 'post_only' as const),
      reduceOnly: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('market' as const),
      acct: fc.integer({ min: 0, max: 2 }),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      lots: fc.integer({ min: 1, max: 40 }),
      reduceOnly: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), acct: fc.integer({ min: 0, max: 2 }), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancelAll' as const), acct: fc.integer({ min: 0, max: 2 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('amend' as const),
      acct: fc.integer({ min: 0, max: 2 }),
      pick: fc.nat(),
      ticks: fc.option(fc.integer({ min: -12, max: 12 }), { nil: null }),
      lots: fc.option(fc.integer({ min: 1, max: 25 }), { nil: null }),
    }),
  },
);

function toRequest(op: Op): SimOrderRequest | undefined {
  const accountId = ACCOUNTS[op.acct]!;
  if (op.kind === 'limit') {
    const price = toText(dec(100_000 + op.ticks / 10));
    return { accountId, symbol: BTC, side: op.side, type: 'limit', price, qty: toText(dec(op.lots / 1000)), tif: op.tif, reduceOnly: op.reduceOnly };
  }
  if (op.kind === 'market')
    return { accountId, symbol: BTC, side: op.side, type: 'market', qty: toText(dec(op.lots / 1000)), tif: 'ioc', reduceOnly: op.reduceOnly };
  return undefined;
}

/** Applies book diff events to a replica, the way a façade's client would. */
class BookReplica {
  bids = new Map<string, string>();
  asks = new Map<string, string>();
  lastUpdateId = 0;
  apply(e: Extract<SimEvent, { type: 'book' }>): void {
    expect(e.prevUpdateId).toBe(this.lastUpdateId);
    expect(e.firstUpdateId).toBe(e.prevUpdateId + 1);
    expect(e.lastUpdateId - e.firstUpdateId + 1).toBe(e.bids.length + e.asks.length);
    for (const [p, s] of e.bids) s === '0' ? this.bids.delete(p) : this.bids.set(p, s);
    for (const [p, s] of e.asks) s === '0' ? this.asks.delete(p) : this.asks.set(p, s);
    this.lastUpdateId = e.lastUpdateId;
  }
  levels(side: 'bids' | 'asks'): Array<[string, string]> {
    const m = this[side];
    return [...m.entries()].sort((a, b) => (side === 'bids' ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])));
  }
}

function checkInvariants(engine: SimVenueEngine, allFills: SimFill[], replica: BookReplica): void {
  const book = engine.book(BTC);
  // Never crossed.
  const bb = book.bids[0];
  const ba = book.asks[0];
  if (bb && ba) expect(Number(bb[0])).toBeLessThan(Number(ba[0]));
  // Diff replica == snapshot.
  expect(replica.lastUpdateId).toBe(book.lastUpdateId);
  expect(replica.levels('bids')).toEqual(book.bids);
  expect(replica.levels('asks')).toEqual(book.asks);
  // Level sizes == remaining qty of the open orders resting there.
  const resting = new Map<string, bigint>();
  for (const a of ACCOUNTS)
    for (const o of engine.openOrders(a)) {
      const key = `${o.side}:${o.price}`;
      resting.set(key, (resting.get(key) ?? 0n) + dec(o.qty) - dec(o.filledQty));
    }
  const fromBook = new Map<string, bigint>();
  for (const [p, s] of book.bids) fromBook.set(`buy:${p}`, dec(s));
  for (const [p, s] of book.asks) fromBook.set(`sell:${p}`, dec(s));
  expect(fromBook).toEqual(resting);

  // Open-order margin follows the orders through amends and fills: max(buy, sell) notional of what rests / leverage 10.
  for (const a of ACCOUNTS) {
    let buy = 0n;
    let sell = 0n;
    for (const o of engine.openOrders(a)) {
      if (o.reduceOnly) continue;
      const n = mul(dec(o.price), (dec(o.qty) - dec(o.filledQty)) as Decimal);
      if (o.side === 'buy') buy += n;
      else sell += n;
    }
    expect(dec(engine.balance(a).orderMargin)).toBe((buy > sell ? buy : sell) / 10n);
  }

  const maker = dec('0.0002');
  const taker = dec('0.0005');
  for (const a of ACCOUNTS) {
    const fills = allFills.filter((f) => f.accountId === a);
    let qty = 0n;
    let wallet = dec('1000000');
    for (const f of fills) {
      // Fees = rate x notional exactly; notional = price x qty exactly.
      expect(dec(f.notional)).toBe(mul(dec(f.price), dec(f.qty)));
      expect(dec(f.fee)).toBe(mul(dec(f.notional), f.liquidity === 'maker' ? maker : taker));
      qty += f.side === 'buy' ? dec(f.qty) : -dec(f.qty);
      wallet = (wallet + dec(f.realizedPnl) - dec(f.fee)) as Decimal;
    }
    // Position = signed sum of fills; wallet = deposits + realized - fees.
    expect(dec(engine.position(a, BTC).qty)).toBe(qty);
    expect(dec(engine.balance(a).wallet)).toBe(wallet);
    // The realized PnL on the position equals the sum over its fills.
    expect(dec(engine.position(a, BTC).realizedPnl)).toBe(fills.reduce((s, f) => s + dec(f.realizedPnl), 0n));
  }
}

const modes: Array<[SimStpMode, SimPostOnlyMode]> = [
  ['expire_taker', 'reject'],
  ['expire_maker', 'reprice'],
  ['expire_both', 'reject'],
  ['none', 'reprice'],
];

describe('matching engine properties', () => {
  let totalFills = 0;
  for (const [stpMode, postOnlyMode] of modes) {
    it(`random order flow keeps every invariant (stp=${stpMode}, post-only=${postOnlyMode})`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { minLength: 1, maxLength: 60, size: 'max' }), (ops) => {
          const { engine } = makeEngine({ stpMode, postOnlyMode });
          const replica = new BookReplica();
          const fills: SimFill[] = [];
          let opEvents: SimEvent[] = [];
          engine.subscribe((e) => {
            opEvents.push(e);
            if (e.type === 'book') replica.apply(e);
            if (e.type === 'fill') fills.push(e.fill);
          });
          for (const op of ops) {
            opEvents = [];
            const req = toRequest(op);
            if (req) {
              const res = engine.placeOrder(req);
              if (res.ok) {
                // Quantity conserved: taker's fills = taker's filled qty = makers' fills of this op.
                const takerSum = res.fills.reduce((s, f) => s + dec(f.qty), 0n);
                expect(takerSum).toBe(dec(res.order.filledQty));
                const opFills = opEvents.flatMap((e) => (e.type === 'fill' ? [e.fill] : []));
                const makerSum = opFills.filter((f) => f.liquidity === 'maker').reduce((s, f) => s + dec(f.qty), 0n);
                expect(makerSum).toBe(takerSum);
                const trades = opEvents.flatMap((e) => (e.type === 'trade' ? [e] : []));
                expect(trades.reduce((s, t) => s + dec(t.qty), 0n)).toBe(takerSum);
                expect(res.order.status === 'new' || res.order.status === 'partially_filled').toBe(
                  engine.openOrders(req.accountId).some((o) => o.orderId === res.order.orderId),
                );
                if (req.tif === 'fok') expect(res.order.status).toBe('filled');
                if (req.tif === 'post_only') expect(res.fills).toEqual([]);
              }
            } else if (op.kind === 'cancel') {
              const open = engine.openOrders(ACCOUNTS[op.acct]!);
              const victim = open[op.pick % Math.max(1, open.length)];
              if (victim) expect(engine.cancelOrder(victim.accountId, BTC, { orderId: victim.orderId }).ok).toBe(true);
            } else if (op.kind === 'amend') {
              const open = engine.openOrders(ACCOUNTS[op.acct]!);
              const target = open[op.pick % Math.max(1, open.length)];
              if (target) {
                const change = {
                  ...(op.ticks !== null ? { price: toText(dec(100_000 + op.ticks / 10)) } : {}),
                  ...(op.lots !== null ? { qty: toText(dec(op.lots / 1000)) } : {}),
                };
                const res = engine.amendOrder(target.accountId, BTC, { orderId: target.orderId }, change);
                const after = engine.getOrder(target.accountId, BTC, { orderId: target.orderId })!;
                if (res.ok) {
                  expect(after.clientOrderId).toBe(target.clientOrderId);
                  if (target.tif === 'post_only') expect(res.fills).toEqual([]);
                  expect(res.fills.reduce((s, f) => s + dec(f.qty), 0n)).toBe(dec(after.filledQty) - dec(target.filledQty));
                } else {
                  // A refused amend leaves the order as it was (this venue does not cancel on failure).
                  expect({ price: after.price, qty: after.qty, status: after.status }).toEqual({ price: target.price, qty: target.qty, status: target.status });
                }
              }
            } else if (op.kind === 'cancelAll') {
              engine.cancelAll(ACCOUNTS[op.acct]!);
              expect(engine.openOrders(ACCOUNTS[op.acct]!)).toEqual([]);
            }
            checkInvariants(engine, fills, replica);
          }
          totalFills += fills.length;
        }),
        { numRuns: 60 },
      );
    });
  }

  it('the generated flow actually trades (guards the properties above against vacuity)', () => {
    expect(totalFills).toBeGreaterThan(500);
  });
});
