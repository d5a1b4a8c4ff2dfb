import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { D } from '@perpetua/core';
import { RollingTrades, TRADE_BUCKETS, TRADE_BUCKET_MS } from '../../src/facades/rolling-trade-stats.js';
import type { SimTrade } from '../../src/engine/types.js';
import { MarketStats } from '../../src/facades/standx/market-stats.js';

const DAY = 24 * 3600 * 1000;
const T0 = 1_800_000_000_000; // a whole minute
const trade = (i: number, ts: number, price: string, qty: string): SimTrade => ({ tradeId: String(i), symbol: 'BTCUSDT', price, qty, side: i % 2 ? 'buy' : 'sell', ts });

/** The window summed trade by trade: every trade from the minute `now − 24h` falls in. */
function bruteForce(trades: readonly SimTrade[], now: number) {
  const from = now - DAY;
  const oldest = from - (from % TRADE_BUCKET_MS);
  const w = trades.filter((t) => t.ts >= oldest).sort((a, b) => a.ts - b.ts);
  if (w.length === 0) return undefined;
  const ps = w.map((t) => D.dec(t.price));
  return {
    first: w[0]!.tradeId,
    last: w.at(-1)!.tradeId,
    high: D.toText(ps.reduce(D.max)),
    low: D.toText(ps.reduce(D.min)),
    volume: D.toText(w.reduce((v, t) => D.add(v, D.dec(t.qty)), D.ZERO)),
    turnover: D.toText(w.reduce((v, t) => D.add(v, D.mul(D.dec(t.price), D.dec(t.qty))), D.ZERO)),
    count: w.length,
  };
}

function summary(r: RollingTrades, now: number) {
  const s = r.summarize(now);
  if (s.first === undefined) return undefined;
  return { first: s.first.tradeId, last: s.last.tradeId, high: D.toText(s.high), low: D.toText(s.low), volume: D.toText(s.volume), turnover: D.toText(s.turnover), count: s.count };
}

describe('RollingTrades: the 24h ticker window in minute buckets', () => {
  it('holds at most a day of minute buckets however many trades arrive (two days at one a second)', () => {
    const r = new RollingTrades();
    let i = 0;
    for (let ts = T0; ts < T0 + 2 * DAY; ts += 1_000) r.add(trade(i++, ts, (100_000 + (i % 500)).toString(), '0.001'));
    expect(r.bucketCount).toBeLessThanOrEqual(TRADE_BUCKETS);
    const s = r.summarize(T0 + 2 * DAY);
    expect(s.first).toBeDefined();
    // The last day's trades, to the minute: 24h × 60 × 60.
    expect(s.first === undefined ? 0 : s.count).toBe(DAY / 1_000);
  });

  it('sums exactly what the trades of the window (to the minute) sum to', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 10 * 60_000 }), price: fc.integer({ min: 90_000, max: 110_000 }), qty: fc.integer({ min: 1, max: 5_000 }) }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 3 * DAY }),
        (steps, nowAfter) => {
          const r = new RollingTrades();
          const trades: SimTrade[] = [];
          let ts = T0;
          steps.forEach((s, i) => {
            ts += s.dt * 40; // spread over up to ~2 days
            const t = trade(i, ts, `${s.price}.5`, `0.${String(s.qty).padStart(4, '0')}`);
            trades.push(t);
            r.add(t);
          });
          const now = ts + nowAfter;
          expect(summary(r, now)).toEqual(bruteForce(trades, now));
        },
      ),
    );
  });

  it('a day with no trades leaves nothing in the window', () => {
    const r = new RollingTrades();
    r.add(trade(1, T0, '100', '1'));
    expect(r.summarize(T0 + DAY + TRADE_BUCKET_MS).first).toBeUndefined();
    expect(r.bucketCount).toBe(0);
  });
});

describe('StandX MarketStats: the same bounded window per symbol', () => {
  it('holds at most a day of minutes and reports the window high, low and volume', () => {
    const m = new MarketStats();
    let i = 0;
    for (let ts = T0; ts < T0 + 2 * DAY; ts += 2_000) m.onTrade({ ...trade(i++, ts, String(100 + (i % 7)), '1'), symbol: 'BTC-USD' });
    expect(m.bucketCount('BTC-USD')).toBeLessThanOrEqual(TRADE_BUCKETS);
    expect(m.stats('BTC-USD', T0 + 2 * DAY)).toEqual({ high: '106', low: '100', volume: String(DAY / 2_000) });
    expect(m.stats('ETH-USD', T0)).toEqual({ high: undefined, low: undefined, volume: '0' });
  });
});
