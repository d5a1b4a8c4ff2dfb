import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StrategyYieldMessage } from '@perpetua/core';
import { YieldTracker } from '../../src/maker-yield/yield-tracker.js';
import { sip5a } from '../../src/maker-yield/rules/sip5a.js';
import { legacy } from '../../src/maker-yield/rules/legacy.js';
import { allowanceFor, distanceWeight, tierFor, uptimeMultiplier, type MakerYieldRuleSet } from '../../src/maker-yield/rule-set.js';
import type { RestingQuote } from '../../src/model/pricing-model.js';

const MIN = 60_000;
const H0 = Date.UTC(2026, 11, 1, 0, 0, 0); // the first hour of a month

const bid = (price: number, qty: number): RestingQuote => ({ side: 'buy', price, qty });
const ask = (price: number, qty: number): RestingQuote => ({ side: 'sell', price, qty });

/** The state for each minute of two hours: [mark, resting orders]. */
function minute(m: number): [number, RestingQuote[]] {
  if (m < 20) return [100_000, [bid(99_950, 2), ask(100_050, 2)]]; // both 5 bps, 2 BTC
  if (m < 35) return [100_000, [bid(100_000, 3), ask(100_100, 1)]]; // bid on the mark (3), ask 10 bps (1)
  if (m < 45) return [100_200, [bid(100_000, 3), ask(100_100, 1)]]; // the mark moved: the bid is 19.96 bps away
  if (m < 60) return [100_200, []]; // nothing resting
  if (m < 110) return [100_000, [bid(99_920, 25), bid(99_990, 1), ask(100_030, 30)]]; // 8 and 1 bps bids, 3 bps ask
  return [100_000, [bid(99_920, 25)]]; // one-sided
}

function run(rules: MakerYieldRuleSet, minutes = 120): YieldTracker {
  const t = new YieldTracker({ strategyId: 'uptime-1', venue: 'standx', symbol: 'BTC-PERP', rules, allowance: allowanceFor(rules, 'BTC')! });
  for (let m = 0; m < minutes; m++) {
    const [mark, orders] = minute(m);
    t.onMark(H0 + m * MIN, mark);
    t.onResting(H0 + m * MIN, orders);
  }
  return t;
}

describe('rule-set data', () => {
  it('sip5a weights distance 200% at 0, 80% at 5, 40% at 10 bps, linear between, nothing beyond', () => {
    expect(distanceWeight(sip5a, 0)).toBe(2);
    expect(distanceWeight(sip5a, 2.5)).toBeCloseTo(1.4, 12);
    expect(distanceWeight(sip5a, 5)).toBeCloseTo(0.8, 12);
    expect(distanceWeight(sip5a, 7.5)).toBeCloseTo(0.6, 12);
    expect(distanceWeight(sip5a, 10)).toBeCloseTo(0.4, 12);
    expect(distanceWeight(sip5a, 10.01)).toBe(0);
    expect(distanceWeight(legacy, 9.9)).toBe(1);
  });

  it('uptime multipliers and tiers at their edges', () => {
    expect(uptimeMultiplier(sip5a, 29.99)).toBe(0);
    expect(uptimeMultiplier(sip5a, 30)).toBe(0.5);
    expect(uptimeMultiplier(sip5a, 42)).toBe(1);
    expect(tierFor(sip5a, 249)).toBeNull();
    expect(tierFor(sip5a, 250)).toBe('MM0');
    expect(tierFor(sip5a, 360)).toBe('MM1');
    expect(tierFor(sip5a, 504)).toBe('MM1'); // MM2 is strictly above 504 h
    expect(tierFor(sip5a, 504.01)).toBe('MM2');
    expect(tierFor(legacy, 300)).toBeNull();
    expect(tierFor(legacy, 360)).toBe('MM1');
  });

  it('units and caps per symbol, others from config', () => {
    expect(allowanceFor(sip5a, 'ETH')).toEqual({ unit: 60, cap: 600 });
    expect(allowanceFor(legacy, 'ETH')).toBeUndefined();
    expect(allowanceFor(legacy, 'ETH', { unit: 60, cap: 60 })).toEqual({ unit: 60, cap: 60 });
  });
});

/*
 * The trace, by hand. Hour 0: minutes 0–19 two-sided at 5 bps with 2 BTC a side; 20–34 a bid of 3 on the mark
 * and an ask of 1 at 10 bps; 35–44 the mark moves and the bid is out of the band; 45–59 nothing. Up 35 min → 0.5x.
 * Hour 1: minutes 0–49 bids of 1 at 1 bps and 25 at 8 bps, an ask of 30 at 3 bps; 50–59 one-sided. Up 50 min → 1.0x.
 */
describe('yield tracker on a minute-by-minute trace', () => {
  it('sip5a: uptime, multiplier, maker hours and credit for each hour and the day', () => {
    const t = run(sip5a);
    const report = StrategyYieldMessage.parse(t.report(H0 + 120 * MIN));
    const [h0, h1] = [t.closedHours.at(0), t.closedHours.at(1)];
    expect(h0).toMatchObject({ start: H0, sampledSeconds: 3600, upSeconds: 2100, multiplier: 0.5 });
    expect(h0.uptimePct).toBeCloseTo((2100 / 3600) * 100, 12);
    // counted: 2 for 1200 s, min(3, 1) = 1 for 900 s → mean 3300/2100; maker hours = mean / 2 BTC × 0.5
    expect(h0.countedSize).toBeCloseTo(3300 / 2100, 12);
    expect(h0.makerHours).toBeCloseTo(3300 / 2100 / 2 / 2, 12);
    // weighted: 2·0.8 = 1.6 for 1200 s; min(3·2.0, 1·0.4) = 0.4 for 900 s → (1920 + 360)/2100; credit = that / 2 × 0.5
    expect(h0.credit).toBeCloseTo(2280 / 2100 / 2 / 2, 12);

    expect(h1).toMatchObject({ start: H0 + 3_600_000, sampledSeconds: 3600, upSeconds: 3000, multiplier: 1 });
    expect(h1.uptimePct).toBeCloseTo((3000 / 3600) * 100, 12);
    // the cap (20) fills closest first: bid 1 @ 1 bps (w 1.76) + 19 @ 8 bps (w 0.56) = 12.4; ask 20 @ 3 bps (w 1.28) = 25.6
    expect(h1.countedSize).toBeCloseTo(20, 12);
    expect(h1.makerHours).toBeCloseTo(10, 12); // 20 / 2 × 1.0: the hourly maximum for BTC
    expect(h1.credit).toBeCloseTo(12.4 / 2, 9);

    expect(report.day).toMatchObject({ start: H0, sampledSeconds: 7200, upSeconds: 5100 });
    expect(report.day.uptimePct).toBeCloseTo((5100 / 7200) * 100, 12);
    expect(report.day.makerHours).toBeCloseTo(3300 / 2100 / 4 + 10, 12);
    expect(report.day.credit).toBeCloseTo(2280 / 2100 / 4 + 6.2, 9);
    expect(report.month.makerHours).toBeCloseTo(report.day.makerHours, 12);
    // 10.39 h in the first 2 h of a 744 h month heads for MM2; reached so far: none.
    expect(report.month.tier).toBeNull();
    expect(report.month.projectedMakerHours).toBeCloseTo(((3300 / 2100 / 4 + 10) * 744) / 2, 9);
    expect(report.month.projectedTier).toBe('MM2');
    expect(report.current).toMatchObject({ mark: 100_000, twoSidedInBand: false, countedSize: 0 });
  });

  it('legacy: min(bid, ask) within 10 bps capped at 2 BTC, no distance weighting', () => {
    const t = run(legacy);
    const report = t.report(H0 + 120 * MIN);
    const [h0, h1] = [t.closedHours.at(0), t.closedHours.at(1)];
    // hour 0: the same uptime; counted 2 then min(min(3, 2), 1) = 1 → the same maker hours as sip5a
    expect(h0).toMatchObject({ upSeconds: 2100, multiplier: 0.5 });
    expect(h0.makerHours).toBeCloseTo(3300 / 2100 / 4, 12);
    expect(h0.credit).toBeCloseTo(h0.makerHours, 12);
    // hour 1: the cap is 2 → 2 / 2 × 1.0 = 1 maker hour
    expect(h1).toMatchObject({ upSeconds: 3000, multiplier: 1 });
    expect(h1.makerHours).toBeCloseTo(1, 12);
    expect(h1.credit).toBeCloseTo(1, 12);
    expect(report.day.uptimePct).toBeCloseTo((5100 / 7200) * 100, 12);
    expect(report.day.makerHours).toBeCloseTo(3300 / 2100 / 4 + 1, 12);
    expect(report.day.credit).toBeCloseTo(3300 / 2100 / 4 + 1, 12);
    // 1.39 h × 372 = 518 h projected: above 504 h, MM2
    expect(report.month.projectedTier).toBe('MM2');
  });

  it('the current hour reports so far, with the multiplier its up minutes earn so far', () => {
    const t = run(sip5a, 90);
    const r = t.report(H0 + 60 * MIN + 30 * MIN); // half-way into hour 1, up all of it
    expect(r.hour).toMatchObject({ sampledSeconds: 1800, upSeconds: 1800, multiplier: 0.5, uptimePct: 100 });
    expect(r.hour.makerHours).toBeCloseTo(5, 12);
  });

  it('a quiet gap is sampled with the state in force, across days, in bounded memory', () => {
    const t = new YieldTracker({ strategyId: 's', venue: 'standx', symbol: 'BTC-PERP', rules: sip5a, allowance: allowanceFor(sip5a, 'BTC')! });
    t.onMark(H0, 100_000);
    t.onResting(H0, [bid(99_950, 2), ask(100_050, 2)]);
    const r = t.report(H0 + 3 * 86_400_000); // three days with nothing but the timer
    expect(t.closedDays.size).toBe(3);
    expect(t.closedDays.at(2)).toMatchObject({ sampledSeconds: 86_400, upSeconds: 86_400, makerHours: 24 });
    expect(t.closedHours.size).toBe(48);
    expect(r.month.makerHours).toBeCloseTo(72, 9);
    expect(r.month.tier).toBeNull();
    t.report(H0 + 40 * 86_400_000); // into the next month: a fresh month
    expect(t.report(H0 + 40 * 86_400_000).month.start).toBe(Date.UTC(2027, 0, 1));
  });

  it('awaitBegin: nothing is sampled before begin(); the first sample is the first whole second a second after it', () => {
    const t = new YieldTracker({ strategyId: 's', venue: 'standx', symbol: 'BTC-PERP', rules: sip5a, allowance: allowanceFor(sip5a, 'BTC')!, awaitBegin: true });
    t.onMark(H0 + 100, 100_000); // a mark before any book: not yet counted
    expect(t.report(H0 + 5_000).hour).toMatchObject({ sampledSeconds: 0, upSeconds: 0, uptimePct: 0 });
    t.begin(H0 + 5_300); // the first usable book
    t.begin(H0 + 9_000); // only the first begin counts
    t.onResting(H0 + 5_900, [bid(99_950, 2), ask(100_050, 2)]); // resting within the second that follows
    // Samples at 7, 8 and 9 s (6.3 s is not a whole second; 7 s is the first at least a second after 5.3 s).
    expect(t.report(H0 + 9_500).hour).toMatchObject({ sampledSeconds: 3, upSeconds: 3 });
    t.onResting(H0 + 9_600, [bid(99_950, 2)]); // one-sided from 9.6 s: 10 s is down
    expect(t.report(H0 + 10_500).hour).toMatchObject({ sampledSeconds: 4, upSeconds: 3 });
  });

  it('time running backwards samples nothing twice', () => {
    const t = run(sip5a);
    const a = t.report(H0 + 120 * MIN);
    t.onMark(H0, 100_000);
    expect(t.report(H0 + 120 * MIN).day).toEqual(a.day);
  });
});

describe('yield tracker properties', () => {
  const order = fc.record({
    side: fc.constantFrom('buy' as const, 'sell' as const),
    bps: fc.double({ min: -15, max: 15, noNaN: true }),
    qty: fc.double({ min: 0, max: 40, noNaN: true }),
  });
  const step = fc.record({
    gapSec: fc.integer({ min: 0, max: 900 }),
    mark: fc.double({ min: 90_000, max: 110_000, noNaN: true }),
    orders: fc.array(order, { maxLength: 5 }),
  });

  it('every hour: sampled = elapsed seconds, 0 ≤ uptime ≤ 100%, maker hours ≤ cap/unit, credit ≤ 2·cap/unit (sip5a)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const t = new YieldTracker({ strategyId: 's', venue: 'standx', symbol: 'BTC-PERP', rules: sip5a, allowance: allowanceFor(sip5a, 'BTC')! });
        let ts = H0 + 250; // not on a second: the first sample is the next whole second
        const firstSample = H0 + 1000 + steps[0]!.gapSec * 1000;
        for (const s of steps) {
          ts += s.gapSec * 1000;
          t.onMark(ts, s.mark);
          t.onResting(ts, s.orders.map((o) => ({ side: o.side, qty: o.qty, price: s.mark * (1 + o.bps / 10_000) })));
        }
        const end = ts + 1000;
        const r = StrategyYieldMessage.parse(t.report(end));
        const hours = [...t.closedHours, r.hour];
        const elapsedSec = Math.ceil((end - firstSample) / 1000);
        expect(hours.reduce((a, h) => a + h.sampledSeconds, 0)).toBe(elapsedSec);
        for (const h of hours) {
          expect(h.upSeconds).toBeLessThanOrEqual(h.sampledSeconds);
          expect(h.uptimePct).toBeGreaterThanOrEqual(0);
          expect(h.uptimePct).toBeLessThanOrEqual(100);
          expect(h.makerHours).toBeLessThanOrEqual(20 / 2 + 1e-9);
          expect(h.credit).toBeLessThanOrEqual((2 * 20) / 2 + 1e-9);
          expect(h.makerHours).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 60 },
    );
  });
});
