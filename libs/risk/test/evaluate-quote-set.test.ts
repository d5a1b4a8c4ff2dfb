import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { D, ZERO, dec, type Decimal, type WantedQuote } from '@perpetua/core';
import { evaluateQuoteSet } from '../src/evaluate-quote-set.js';
import { RiskLimits } from '../src/risk-limits.js';
import type { OtherQuote, QuoteSetContext } from '../src/rules/types.js';
import { NOW, approvedSlots, market, q, run } from './helpers.js';

describe('evaluateQuoteSet', () => {
  it('checks closest to the touch first, alternating sides', () => {
    const d = run([q('bid-2', 'buy', '97'), q('ask-1', 'sell', '102'), q('bid-0', 'buy', '99'), q('ask-0', 'sell', '101'), q('bid-1', 'buy', '98')], {});
    expect(approvedSlots(d)).toEqual(['bid-0', 'ask-0', 'bid-1', 'ask-1', 'bid-2']);
  });

  it('the first rule that fires names the reject, in the documented order', () => {
    const limits = { maxOrderSize: '1', maxOrderNotional: '50', maxThroughBookBps: 10, maxFromMarkBps: 100 };
    const m = { market: market('99', '100', { mark: dec('99.5') }) };
    const d = run([q('b', 'buy', '200', '2')], limits, m);
    expect(d.rejects.map((r) => r.rule)).toEqual(['max_order_size']);
    expect(run([q('b', 'buy', '200', '1')], limits, m).rejects[0]!.rule).toBe('max_order_notional');
    expect(run([q('b', 'buy', '101', '0.1')], limits, m).rejects[0]!.rule).toBe('price_through_book');
    expect(run([q('b', 'buy', '98', '0.1')], limits, m).rejects[0]!.rule).toBe('price_from_mark');
  });

  it('an empty set is approved as empty', () => {
    expect(run([], {})).toEqual({ approved: [], rejects: [], placements: 0, keep: [] });
  });

  it('old configs with only maxPosition and maxOrderSize parse, and new limits parse too', () => {
    expect(RiskLimits.strict().parse({ maxPosition: '0.5', maxOrderSize: '0.1' })).toEqual({ maxPosition: '0.5', maxOrderSize: '0.1' });
    const full = { maxPosition: '1', maxOrderSize: '0.1', maxOrderNotional: '10000', maxPositionNotional: '50000', maxTotalNotional: '200000', maxOpenOrders: 20, maxThroughBookBps: 0, maxFromMarkBps: 50, maxBookAgeMs: 2000, maxDailyLoss: '500', maxDrawdown: '800', maxOrdersPerSecond: 10 };
    expect(RiskLimits.strict().parse(full)).toEqual(full);
    expect(() => RiskLimits.parse({ maxPosition: '1', maxOrderSize: '1', maxOpenOrders: 1.5 })).toThrow();
    expect(() => RiskLimits.parse({ maxPosition: '1', maxOrderSize: '1', maxDailyLoss: '-5' })).toThrow();
  });
});

// --- properties over random sets, positions, books, other strategies and limits ---

const price = fc.integer({ min: 9_000, max: 11_000 }).map((n) => (n / 100).toFixed(2));
const lot = fc.integer({ min: 1, max: 800 }).map((n) => (n / 1000).toFixed(3));
const side = fc.constantFrom('buy' as const, 'sell' as const);
const quotes = fc.array(fc.record({ side, price, qty: lot, postOnly: fc.boolean() }), { maxLength: 14 }).map((qs) => qs.map((x, i) => q(`s-${i}`, x.side, x.price, x.qty, x.postOnly)));
const others = fc.array(fc.record({ side, price }), { maxLength: 4 }).map((os) => os.map((o, i): OtherQuote => ({ strategy: 'other', slot: `o-${i}`, ...o })));
const limitsArb = fc.record({
  maxPosition: fc.integer({ min: 1, max: 2000 }).map((n) => (n / 1000).toFixed(3)),
  maxOrderSize: lot,
  maxOrderNotional: fc.option(fc.integer({ min: 1, max: 100 }).map(String), { nil: undefined }),
  maxPositionNotional: fc.option(fc.integer({ min: 1, max: 200 }).map(String), { nil: undefined }),
  maxTotalNotional: fc.option(fc.integer({ min: 1, max: 400 }).map(String), { nil: undefined }),
  maxOpenOrders: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  maxThroughBookBps: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  maxFromMarkBps: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
});
const contextArb = fc.record({
  quotes,
  position: fc.integer({ min: -1500, max: 1500 }).map((p) => dec((p / 1000).toFixed(3))),
  bid: price,
  spread: fc.integer({ min: 1, max: 200 }),
  otherQuotes: others,
  ordersAvailable: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
});

function build(c: typeof contextArb extends fc.Arbitrary<infer T> ? T : never): QuoteSetContext {
  const ask = D.add(dec(c.bid), dec((c.spread / 100).toFixed(2)));
  return {
    quotes: c.quotes,
    position: c.position,
    market: { bestBid: dec(c.bid), bestAsk: ask, mark: dec(c.bid), stale: false, tsPublished: NOW },
    now: NOW,
    halted: false,
    otherQuotes: c.otherQuotes,
    ...(c.ordersAvailable === undefined ? {} : { ordersAvailable: c.ordersAvailable }),
  };
}

describe('evaluateQuoteSet properties', () => {
  it('approved ⊆ input, and every input quote is approved or rejected exactly once', () => {
    fc.assert(
      fc.property(contextArb, limitsArb, (c, limits) => {
        const ctx = build(c);
        const d = evaluateQuoteSet(ctx, limits);
        for (const a of d.approved) expect(ctx.quotes).toContain(a);
        const seen = [...d.approved.map((a) => a.slot), ...d.rejects.map((r) => r.slot)].sort();
        expect(seen).toEqual(ctx.quotes.map((x) => x.slot).sort());
      }),
    );
  });

  it('the approved set never lets the worst-case position exceed maxPosition on a side it grows', () => {
    fc.assert(
      fc.property(contextArb, limitsArb, (c, limits) => {
        const ctx = build(c);
        const { approved } = evaluateQuoteSet(ctx, limits);
        const sum = (s: 'buy' | 'sell'): Decimal => approved.filter((a) => a.side === s).reduce<Decimal>((t, a) => D.add(t, dec(a.qty)), ZERO);
        const max = dec(limits.maxPosition);
        if (approved.some((a) => a.side === 'buy')) expect(D.add(ctx.position, sum('buy')) <= max).toBe(true);
        if (approved.some((a) => a.side === 'sell')) expect(D.sub(ctx.position, sum('sell')) >= D.neg(max)).toBe(true);
        for (const a of approved) expect(dec(a.qty) <= dec(limits.maxOrderSize)).toBe(true);
      }),
    );
  });

  it('flat: each side’s approved notional stays within maxPositionNotional and maxTotalNotional; orders within maxOrderNotional', () => {
    fc.assert(
      fc.property(contextArb, limitsArb, (c, limits) => {
        const ctx = { ...build(c), position: ZERO };
        const { approved } = evaluateQuoteSet(ctx, limits);
        const notional = (a: WantedQuote): Decimal => D.mul(dec(a.price), dec(a.qty));
        for (const s of ['buy', 'sell'] as const) {
          const total = approved.filter((a) => a.side === s).reduce<Decimal>((t, a) => D.add(t, notional(a)), ZERO);
          if (limits.maxPositionNotional !== undefined) expect(total <= dec(limits.maxPositionNotional)).toBe(true);
          if (limits.maxTotalNotional !== undefined) expect(total <= dec(limits.maxTotalNotional)).toBe(true);
        }
        if (limits.maxOrderNotional !== undefined) for (const a of approved) expect(notional(a) <= dec(limits.maxOrderNotional)).toBe(true);
      }),
    );
  });

  it('no approved quote can trade with another approved quote or another strategy’s', () => {
    fc.assert(
      fc.property(contextArb, limitsArb, (c, limits) => {
        const ctx = build(c);
        const { approved } = evaluateQuoteSet(ctx, limits);
        const ours = [...approved, ...(ctx.otherQuotes ?? [])];
        const bestBid = ours.filter((x) => x.side === 'buy').reduce<Decimal | undefined>((m, x) => (m === undefined ? dec(x.price) : D.max(m, dec(x.price))), undefined);
        const bestAsk = ours.filter((x) => x.side === 'sell').reduce<Decimal | undefined>((m, x) => (m === undefined ? dec(x.price) : D.min(m, dec(x.price))), undefined);
        const othersCross = (ctx.otherQuotes ?? []).some((o) => (ctx.otherQuotes ?? []).some((p) => o.side === 'buy' && p.side === 'sell' && dec(o.price) >= dec(p.price)));
        if (!othersCross && bestBid !== undefined && bestAsk !== undefined) expect(bestBid < bestAsk).toBe(true);
      }),
    );
  });

  it('open orders and placements stay within their budgets; price bands hold', () => {
    fc.assert(
      fc.property(contextArb, limitsArb, (c, limits) => {
        const ctx = build(c);
        const d = evaluateQuoteSet(ctx, limits);
        if (limits.maxOpenOrders !== undefined) expect(d.approved.length + (ctx.otherQuotes?.length ?? 0)).toBeLessThanOrEqual(Math.max(limits.maxOpenOrders, ctx.otherQuotes?.length ?? 0));
        if (ctx.ordersAvailable !== undefined) expect(d.placements).toBeLessThanOrEqual(ctx.ordersAvailable);
        expect(d.placements).toBe(d.approved.length); // no previous set: every approved quote is a placement
        const m = ctx.market!;
        for (const a of d.approved) {
          const p = dec(a.price);
          const bps = limits.maxThroughBookBps ?? (a.postOnly ? 0 : undefined);
          // price ≤ ask × (1 + bps/1e4), compared exactly by cross-multiplying
          if (bps !== undefined && a.side === 'buy') expect(D.sub(p, m.bestAsk!) * 10_000n * D.ONE <= m.bestAsk! * dec(bps)).toBe(true);
          if (bps !== undefined && a.side === 'sell') expect(D.sub(m.bestBid!, p) * 10_000n * D.ONE <= m.bestBid! * dec(bps)).toBe(true);
          if (limits.maxFromMarkBps !== undefined) expect(D.abs(D.sub(p, m.mark!)) * 10_000n * D.ONE <= m.mark! * dec(limits.maxFromMarkBps)).toBe(true);
        }
      }),
    );
  });
});
