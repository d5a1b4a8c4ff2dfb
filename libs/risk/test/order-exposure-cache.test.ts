import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { D, ZERO, dec, type OrderEvent, type OrderStatus, type WantedQuote } from '@perpetua/core';
import { OrderExposureCache, summarize } from '../src/order-exposure-cache.js';

const T0 = 1_700_000_000_000;
const V = 'sim';
const A = 'acct';
const S = 'BTC-PERP';

const ev = (clientOrderId: string, status: OrderStatus, over: Partial<OrderEvent> = {}): OrderEvent => ({
  venue: V,
  account: A,
  symbol: S,
  clientOrderId,
  side: 'buy',
  price: '100',
  qty: '1',
  filledQty: '0',
  status,
  ts: T0,
  ...over,
});
const quote = (slot: string, side: 'buy' | 'sell', price: string, qty: string): WantedQuote => ({ slot, side, price, qty, postOnly: true });
const exposure = (c: OrderExposureCache, now = T0) => c.exposure(V, A, S, now);
const txt = (e: ReturnType<typeof exposure>) => ({
  restingBuy: D.toText(e.restingBuy),
  restingSell: D.toText(e.restingSell),
  inFlightBuy: D.toText(e.inFlightBuy),
  inFlightSell: D.toText(e.inFlightSell),
  openOrders: e.openOrders,
});

describe('OrderExposureCache', () => {
  it('an open order rests with its unfilled rest; a closed one contributes nothing and stays closed', () => {
    const c = new OrderExposureCache();
    c.applyEvent(ev('o1', 'new', { qty: '2' }));
    c.applyEvent(ev('o1', 'partially_filled', { qty: '2', filledQty: '0.5' }));
    expect(txt(exposure(c))).toMatchObject({ restingBuy: '1.5', inFlightBuy: '0', openOrders: 1 });
    c.applyEvent(ev('o1', 'canceled', { qty: '2', filledQty: '0.5' }));
    expect(txt(exposure(c))).toMatchObject({ restingBuy: '0', openOrders: 0 });
    c.applyEvent(ev('o1', 'new', { qty: '2' })); // late: the order is closed
    expect(txt(exposure(c))).toMatchObject({ restingBuy: '0', openOrders: 0 });
  });

  it('pending and unknown orders are in flight; a late pending never moves a resting order back', () => {
    const c = new OrderExposureCache();
    c.applyEvent(ev('o1', 'pending'));
    c.applyEvent(ev('o2', 'unknown', { side: 'sell' }));
    expect(txt(exposure(c))).toMatchObject({ restingBuy: '0', inFlightBuy: '1', inFlightSell: '1', openOrders: 2 });
    c.applyEvent(ev('o1', 'new'));
    c.applyEvent(ev('o1', 'pending'));
    expect(txt(exposure(c))).toMatchObject({ restingBuy: '1', inFlightBuy: '0' });
  });

  it('an approved immediate order is in flight until an event for its client id, or the timeout', () => {
    const c = new OrderExposureCache({ inFlightTimeoutMs: 1000 });
    c.approveOrder({ venue: V, account: A, symbol: S, clientOrderId: 'ioc-1', side: 'buy', price: '100', qty: '0.3' }, T0);
    expect(txt(exposure(c, T0 + 999))).toMatchObject({ inFlightBuy: '0.3', openOrders: 1 });
    expect(txt(exposure(c, T0 + 1000))).toMatchObject({ inFlightBuy: '0', openOrders: 0 });
    c.approveOrder({ venue: V, account: A, symbol: S, clientOrderId: 'ioc-2', side: 'sell', price: '100', qty: '0.3' }, T0);
    c.applyEvent(ev('ioc-2', 'expired', { side: 'sell', qty: '0.3' }));
    expect(txt(exposure(c))).toMatchObject({ inFlightSell: '0', openOrders: 0 });
    // Approved again after its close (a replayed intent): nothing.
    c.approveOrder({ venue: V, account: A, symbol: S, clientOrderId: 'ioc-2', side: 'sell', price: '100', qty: '0.3' }, T0);
    expect(txt(exposure(c))).toMatchObject({ inFlightSell: '0' });
  });

  it('an approved quote is in flight until the router shows it in its slot; the order it replaces rests until its cancel is confirmed', () => {
    const c = new OrderExposureCache();
    c.applyEvent(ev('r1', 'new', { strategy: 'mm', slot: 'bid-0', qty: '1', price: '99' }));
    c.approveQuotes({ venue: V, account: A, symbol: S, strategy: 'mm', intentId: 'mm-1', quotes: [quote('bid-0', 'buy', '99.5', '1')] }, T0);
    expect(txt(exposure(c))).toMatchObject({ restingBuy: '1', inFlightBuy: '1', openOrders: 1 }); // one slot
    c.applyEvent(ev('r2', 'new', { strategy: 'mm', slot: 'bid-0', qty: '1', price: '99.5' }));
    expect(txt(exposure(c))).toMatchObject({ restingBuy: '2', inFlightBuy: '0' });
    c.applyEvent(ev('r1', 'canceled', { strategy: 'mm', slot: 'bid-0', qty: '1', price: '99' }));
    expect(txt(exposure(c))).toMatchObject({ restingBuy: '1', inFlightBuy: '0', openOrders: 1 });
    // The same quote again rests as it is: nothing in flight.
    c.approveQuotes({ venue: V, account: A, symbol: S, strategy: 'mm', intentId: 'mm-1', quotes: [quote('bid-0', 'buy', '99.5', '1')] }, T0);
    expect(txt(exposure(c))).toMatchObject({ restingBuy: '1', inFlightBuy: '0' });
  });

  it('an approved quote no event shows stops counting after the quote timeout', () => {
    const c = new OrderExposureCache({ quoteInFlightTimeoutMs: 500 });
    c.approveQuotes({ venue: V, account: A, symbol: S, strategy: 'mm', intentId: 'mm-1', quotes: [quote('bid-0', 'buy', '99', '1')] }, T0);
    expect(txt(exposure(c, T0 + 499))).toMatchObject({ inFlightBuy: '1', openOrders: 1 });
    expect(txt(exposure(c, T0 + 500))).toMatchObject({ inFlightBuy: '0', openOrders: 0 });
    expect(c.size.approvals).toBe(0);
  });

  it('a refused placement settles its approval; superseded approvals of a slot count as the largest, once', () => {
    const c = new OrderExposureCache();
    const approve = (price: string, qty: string) => c.approveQuotes({ venue: V, account: A, symbol: S, strategy: 'mm', intentId: 'mm-1', quotes: [quote('ask-0', 'sell', price, qty)] }, T0);
    approve('101', '2');
    approve('102', '1');
    approve('103', '1');
    // At most one of them can be live at a time: the largest counts.
    expect(txt(exposure(c))).toMatchObject({ inFlightSell: '2', openOrders: 1 });
    c.applyEvent(ev('x', 'rejected', { strategy: 'mm', slot: 'ask-0', side: 'sell', price: '102', qty: '1' }));
    // The event for 102 settles it and every older approval of the slot.
    expect(txt(exposure(c))).toMatchObject({ inFlightSell: '1', openOrders: 1 });
  });

  it('stays within its bounds and counts what the bounds drop', () => {
    const c = new OrderExposureCache({ maxOrders: 3, maxApprovals: 2, maxClosed: 2 });
    for (let i = 0; i < 5; i++) c.applyEvent(ev(`o${i}`, 'new'));
    for (let i = 0; i < 4; i++) c.approveOrder({ venue: V, account: A, symbol: S, clientOrderId: `i${i}`, side: 'buy', price: '1', qty: '1' }, T0);
    for (let i = 0; i < 4; i++) c.applyEvent(ev(`z${i}`, 'canceled'));
    expect(c.size).toEqual({ orders: 3, approvals: 2, closed: 2 });
    expect(c.overflowDropped).toBe(2 + 2);
  });
});

// --- properties over random event streams and approvals ---

const ids = ['a', 'b', 'c', 'd'];
const slots = ['bid-0', 'ask-0', 'bid-1'];
const statusArb = fc.constantFrom<OrderStatus>('pending', 'new', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'unknown');
const eventArb = fc
  .record({
    id: fc.constantFrom(...ids),
    status: statusArb,
    side: fc.constantFrom('buy' as const, 'sell' as const),
    price: fc.integer({ min: 98, max: 102 }).map(String),
    qty: fc.integer({ min: 1, max: 5 }),
    filled: fc.integer({ min: 0, max: 5 }),
    slot: fc.option(fc.constantFrom(...slots), { nil: undefined }),
    account: fc.constantFrom(A, 'other'),
  })
  .map((r) =>
    ev(r.id, r.status, {
      account: r.account,
      side: r.side,
      price: r.price,
      qty: String(r.qty),
      filledQty: String(Math.min(r.filled, r.qty)),
      ...(r.slot ? { strategy: 'mm', slot: r.slot } : {}),
    }),
  );
type Step = { kind: 'event'; e: OrderEvent } | { kind: 'order'; id: string; side: 'buy' | 'sell'; qty: string; dt: number } | { kind: 'quotes'; quotes: WantedQuote[]; dt: number };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  eventArb.map((e): Step => ({ kind: 'event', e })),
  fc.record({ id: fc.constantFrom(...ids), side: fc.constantFrom('buy' as const, 'sell' as const), qty: fc.integer({ min: 1, max: 5 }).map(String), dt: fc.integer({ min: 0, max: 3000 }) }).map((o): Step => ({ kind: 'order', ...o })),
  fc
    .record({
      quotes: fc.uniqueArray(fc.record({ slot: fc.constantFrom(...slots), side: fc.constantFrom('buy' as const, 'sell' as const), price: fc.integer({ min: 98, max: 102 }).map(String), qty: fc.integer({ min: 1, max: 5 }).map(String) }), { selector: (q) => q.slot, maxLength: 3 }),
      dt: fc.integer({ min: 0, max: 3000 }),
    })
    .map((r): Step => ({ kind: 'quotes', quotes: r.quotes.map((q) => quote(q.slot, q.side, q.price, q.qty)), dt: r.dt })),
);

function play(steps: readonly Step[], c = new OrderExposureCache({ inFlightTimeoutMs: 5000, quoteInFlightTimeoutMs: 2000 })): { cache: OrderExposureCache; now: number } {
  let now = T0;
  for (const s of steps) {
    if (s.kind === 'event') c.applyEvent(s.e);
    else {
      now += s.dt;
      if (s.kind === 'order') c.approveOrder({ venue: V, account: A, symbol: S, clientOrderId: s.id, side: s.side, price: '100', qty: s.qty }, now);
      else c.approveQuotes({ venue: V, account: A, symbol: S, strategy: 'mm', intentId: 'mm-1', quotes: s.quotes }, now);
    }
  }
  return { cache: c, now };
}

describe('OrderExposureCache properties', () => {
  it('exposure is never negative, and the open-order count never exceeds the live entries', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        const { cache, now } = play(steps);
        const live = cache.live(V, A, S, now);
        const e = summarize(live);
        for (const x of [e.restingBuy, e.restingSell, e.inFlightBuy, e.inFlightSell]) expect(x >= ZERO).toBe(true);
        for (const o of live) expect(o.qty > ZERO).toBe(true);
        expect(e.openOrders).toBeLessThanOrEqual(live.length);
      }),
      { numRuns: 300 },
    );
  });

  it('an order whose last event closed it contributes nothing, whatever came before or after', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 30 }), fc.constantFrom(...ids), fc.constantFrom<OrderStatus>('filled', 'canceled', 'rejected', 'expired'), fc.array(eventArb, { maxLength: 10 }), (before, id, status, after) => {
        const c = new OrderExposureCache();
        for (const e of before) c.applyEvent(e);
        c.applyEvent(ev(id, status));
        for (const e of after) c.applyEvent(e);
        // What is live must all come from other orders: rebuilt from their events alone, it is the same.
        const others = new OrderExposureCache();
        for (const e of [...before, ...after]) if (e.clientOrderId !== id || e.account !== A) others.applyEvent(e);
        for (const account of [A, 'other']) expect(summarize(c.live(V, account, S, T0))).toEqual(summarize(others.live(V, account, S, T0)));
      }),
      { numRuns: 300 },
    );
  });

  it('applying an event twice is the same as once, and replaying a whole stream changes nothing', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 30 }), eventArb, (steps, e) => {
        const once = play([...steps, { kind: 'event', e }]);
        const twice = play([...steps, { kind: 'event', e }, { kind: 'event', e }]);
        expect(twice.cache.live(V, A, S, twice.now)).toEqual(once.cache.live(V, A, S, once.now));
        const events = steps.flatMap((s) => (s.kind === 'event' ? [s.e] : []));
        const replayed = play(events.map((x): Step => ({ kind: 'event', e: x })), play(events.map((x): Step => ({ kind: 'event', e: x }))).cache);
        const single = play(events.map((x): Step => ({ kind: 'event', e: x })));
        expect(replayed.cache.live(V, A, S, T0)).toEqual(single.cache.live(V, A, S, T0));
      }),
      { numRuns: 300 },
    );
  });

  it('an approval counts fully until settled or timed out, then never again', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 20 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 10_000 }), (steps, qty, later) => {
        const { cache, now } = play(steps);
        const before = summarize(cache.live(V, A, S, now));
        cache.approveOrder({ venue: V, account: A, symbol: S, clientOrderId: 'fresh-leg', side: 'buy', price: '100', qty: String(qty) }, now);
        const after = summarize(cache.live(V, A, S, now));
        expect(after.inFlightBuy).toBe(D.add(before.inFlightBuy, dec(String(qty))));
        const expired = summarize(cache.live(V, A, S, now + 5000 + later));
        expect(expired.inFlightBuy <= before.inFlightBuy).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
