import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MarkMessage } from '@perpetua/core';
import { StrategyModelParams, createPricingModel } from '../../src/model/model-params.js';
import { btc, ctx } from '../fixtures.js';

const model = (extra: Record<string, unknown> = {}, instrument = btc) => createPricingModel(StrategyModelParams.parse({ kind: 'maker-yield', ...extra }), instrument);
const at = (mark: number, over: Parameters<typeof ctx>[0] = {}) => ctx({ mid: mark, mark, bestBid: mark - 0.5, bestAsk: mark + 0.5, ...over });

describe('maker-yield model', () => {
  it('inventory skew: long, the bid moves away from the mark and the ask toward it, in proportion, inside the band', () => {
    const m = model({ target_distance_bps: 4, max_distance_bps: 8, requote_margin_bps: 1, inventory_skew_bps: 3, order_amount: 2 });
    const half = m.quote(at(100_000, { position: 5, maxPosition: 10 }))!;
    expect(half.bid!.price).toBeCloseTo(100_000 * (1 - 5.5 / 10_000), 6); // 4 + 3 x 0.5
    expect(half.ask!.price).toBeCloseTo(100_000 * (1 + 2.5 / 10_000), 6); // 4 - 3 x 0.5
    const short = m.quote(at(100_000, { position: -9, maxPosition: 10 }))!;
    expect(short.bid!.price).toBeCloseTo(100_000 * (1 - 1.3 / 10_000), 6); // 4 - 3 x 0.9
    expect(short.ask!.price).toBeCloseTo(100_000 * (1 + 6.7 / 10_000), 6); // 4 + 3 x 0.9
    const clamped = model({ target_distance_bps: 4, max_distance_bps: 8, requote_margin_bps: 1, inventory_skew_bps: 10, order_amount: 2 }).quote(at(100_000, { position: 8, maxPosition: 10 }))!;
    expect(clamped.bid!.price).toBeCloseTo(100_000 * (1 - 7 / 10_000), 6); // 4 + 8 = 12, held at 8 − 1
    expect(clamped.ask!.price).toBeCloseTo(100_000, 6); // 4 − 8 < 0: held at the mark, never through it
    expect(model({ target_distance_bps: 4, order_amount: 2 }).quote(at(100_000, { position: 5, maxPosition: 10 }))!.bid!.price).toBeCloseTo(100_000 * (1 - 4 / 10_000), 6);
  });

  it('inventory_soft_limit_pct: beyond it the adding side shrinks in proportion to the room left, the reducing side keeps its size', () => {
    const m = model({ target_distance_bps: 4, order_amount: 2, inventory_soft_limit_pct: 30 });
    const sizes = (position: number) => {
      const q = m.quote(at(100_000, { position, maxPosition: 10 }))!;
      return [q.bid?.size, q.ask?.size];
    };
    expect(sizes(3)).toEqual([2, 2]); // at the soft limit: full size
    expect(sizes(6.5)[0]).toBeCloseTo(1, 12); // 3.5 of the 7 between soft limit and cap left: half
    expect(sizes(6.5)[1]).toBe(2);
    expect(sizes(5)[0]).toBeCloseTo(1.5, 12); // 5/7 left: the next quarter up, ¾
    expect(sizes(7)[0]).toBeCloseTo(1, 12); // 3/7 left: ½
    expect(sizes(-9.3)[0]).toBe(2);
    expect(sizes(-9.3)[1]).toBeCloseTo(0.5, 12); // 0.7/7 left: the last quarter, ¼ of 2 (within the 0.7 of room)
    expect(sizes(-9.8)[1]).toBeCloseTo(0.2, 12); // ¼ is 0.5, more than the 0.2 of room: the room
    expect(sizes(10)).toEqual([undefined, 2]); // at the cap the adding side goes
    expect(model({ order_amount: 2 }).quote(at(100_000, { position: 6.5, maxPosition: 10 }))!.bid!.size).toBe(2); // off by default
  });

  it("each side carries the band's edge (max_distance − requote_margin) as the ladder's limit", () => {
    const q = model({ max_distance_bps: 8, requote_margin_bps: 1, target_distance_bps: 4 }).quote(at(100_000))!;
    expect(q.bid!.limit).toBeCloseTo(99_930, 6);
    expect(q.ask!.limit).toBeCloseTo(100_070, 6);
  });

  it('quotes both sides 5 bps from the mark, one sip5a unit (2 BTC) each by default', () => {
    const q = model().quote(at(100_000))!;
    expect(q.bid!.price).toBeCloseTo(99_950, 6);
    expect(q.ask!.price).toBeCloseTo(100_050, 6);
    expect(q.bid!.size).toBe(2);
    expect(q.ask!.size).toBe(2);
  });

  it('follows the mark, not the mid', () => {
    const q = model({ target_distance_bps: 2 }).quote(ctx({ mid: 100_000, bestBid: 99_990, bestAsk: 100_010, mark: 100_005 }))!;
    expect(q.bid!.price).toBeCloseTo(100_005 * (1 - 0.0002), 6);
    expect(q.ask!.price).toBeCloseTo(100_005 * (1 + 0.0002), 6);
  });

  it('takes the mark from mark events when the context has none, and cannot quote without one', () => {
    const m = model();
    expect(m.quote(ctx())).toBeNull();
    const mark: MarkMessage = { venue: 'standx', symbol: 'BTC-PERP', markPrice: 100_010, tsExchange: 0, tsReceived: 0, tsPublished: 0 };
    m.onMarketEvent({ kind: 'mark', ts: 0, mark });
    expect(m.quote(ctx({ mid: 100_010, bestBid: 100_009.5, bestAsk: 100_010.5 }))!.ask!.price).toBeCloseTo(100_010 * 1.0005, 6);
  });

  it('sizes up to what the rule set counts: sip5a caps BTC at 20 a side, legacy at 2', () => {
    expect(model({ order_amount: 30 }).quote(at(100_000, { maxPosition: 100 }))!.bid!.size).toBe(20);
    expect(model({ order_amount: 30, rule_set: 'legacy' }).quote(at(100_000, { maxPosition: 100 }))!.ask!.size).toBe(2);
  });

  it('never quotes beyond max_position: the side that would breach it shrinks, then goes', () => {
    const q = model().quote(at(100_000, { position: 9, maxPosition: 10 }))!;
    expect(q.bid!.size).toBe(1);
    expect(q.ask!.size).toBe(2);
    expect(model().quote(at(100_000, { position: 10, maxPosition: 10 }))!.bid).toBeUndefined();
    expect(model().quote(at(100_000, { position: -10.5, maxPosition: 10 }))!.ask).toBeUndefined();
  });

  it('stays passive, and drops a side that passivity would push out of the band', () => {
    const q = model().quote(at(100_000, { bestBid: 99_930, bestAsk: 99_940 }))!;
    expect(q.bid!.price).toBeCloseTo(99_939.9, 6); // a tick under the best ask, 6.01 bps from the mark
    const out = model().quote(at(100_000, { bestBid: 99_890, bestAsk: 99_900 }))!;
    expect(out.bid).toBeUndefined(); // 10.01 bps: beyond max_distance_bps 8
    expect(out.ask).toBeDefined();
  });

  it('symbols the rule set does not list take unit and cap from config', () => {
    const doge = { ...btc, symbol: 'DOGE-PERP', venueSymbol: 'DOGE-USD', base: 'DOGE', tickSize: '0.00001' };
    expect(model({}, doge).quote(at(0.2))).toBeNull();
    expect(model({ yield_unit: 5000, yield_cap: 20_000 }, doge).quote(at(0.2, { bestBid: 0.19, bestAsk: 0.21, maxPosition: 1e6 }))!.bid!.size).toBe(5000);
  });

  it('accepts resting quotes until one drifts past max_distance − margin (7 bps) or to the wrong side of the mark', () => {
    const m = model();
    const resting = [
      { side: 'buy' as const, price: 99_950, qty: 2 },
      { side: 'sell' as const, price: 100_050, qty: 2 },
    ];
    expect(m.accepts!(resting, at(100_000))).toBe(true);
    expect(m.accepts!(resting, at(100_015))).toBe(true); // bid 6.5 bps, ask 3.5 bps
    expect(m.accepts!(resting, at(100_025))).toBe(false); // bid 7.5 bps
    expect(m.accepts!(resting, at(99_945))).toBe(false); // the bid is above the mark
  });

  it('rejects a band over the programme’s 10 bps, naming the key', () => {
    const r = StrategyModelParams.safeParse({ kind: 'maker-yield', max_distance_bps: 11 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['max_distance_bps']);
    const t = StrategyModelParams.safeParse({ kind: 'maker-yield', max_distance_bps: 6, target_distance_bps: 5.5 });
    expect(t.success).toBe(false);
    expect(t.error!.issues[0]!.path).toEqual(['target_distance_bps']);
    expect(StrategyModelParams.safeParse({ kind: 'maker-yield', rule_set: 'other' }).success).toBe(false);
  });

  it('every quote lies within the band of the mark it was computed from, bid < ask, sizes within max_position (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: -20, max: 20, noNaN: true }), // book centre vs mark, bps
        fc.double({ min: 0, max: 30, noNaN: true }), // book half-spread, bps
        fc.double({ min: 1.1, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: -15, max: 15, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (mark, offBps, halfBps, maxBps, targetFrac, position, skew, softPct) => {
          const target = 0.001 + targetFrac * (maxBps - 0.5) * 0.99;
          const m = model(
            { max_distance_bps: maxBps, target_distance_bps: target, requote_margin_bps: 0.5, inventory_skew_bps: skew, inventory_soft_limit_pct: softPct },
            { ...btc, tickSize: '0.00001' },
          );
          const centre = mark * (1 + offBps / 10_000);
          const c = ctx({ mid: centre, mark, bestBid: centre * (1 - halfBps / 10_000), bestAsk: centre * (1 + halfBps / 10_000) + 0.00002, position, maxPosition: 10 });
          const q = m.quote(c)!;
          for (const s of [q.bid, q.ask]) {
            if (!s) continue;
            expect(Math.abs(s.price - mark) / mark).toBeLessThanOrEqual(maxBps / 10_000 + 1e-12);
            expect(Math.abs(s.limit! - mark) / mark).toBeLessThanOrEqual(maxBps / 10_000 + 1e-12);
            expect(s.size).toBeGreaterThan(0);
          }
          if (q.bid && q.ask) expect(q.bid.price).toBeLessThan(q.ask.price);
          if (q.bid) expect(position + q.bid.size).toBeLessThanOrEqual(10 + 1e-9);
          if (q.ask) expect(position - q.ask.size).toBeGreaterThanOrEqual(-10 - 1e-9);
        },
      ),
    );
  });
});
