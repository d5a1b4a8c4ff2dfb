import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Fill, OrderEvent } from '@perpetua/core';
import { PnlLedger, StrategyStats } from '../src/index.js';

const fill = (id: string, side: 'buy' | 'sell', price: string, qty: string, fee = '0', order = id): Fill => ({
  fillId: id,
  venue: 'v',
  account: 'a',
  symbol: 'BTC-PERP',
  clientOrderId: order,
  side,
  price,
  qty,
  fee,
  liquidity: 'maker',
  tsExchange: 0,
  tsReceived: 0,
});
const placed = (id: string): OrderEvent => ({ venue: 'v', account: 'a', symbol: 'BTC-PERP', clientOrderId: id, side: 'buy', price: '1', qty: '1', filledQty: '0', status: 'new', ts: 0, strategy: 's', slot: 'bid-0' });
const at = { mid: 100, mark: undefined, position: 0, paused: false, pausedMs: 0, model: {} };

describe('PnL ledger (average cost, exact)', () => {
  it('realizes against the average entry, across zero, and keeps fees and rebates apart', () => {
    const l = new PnlLedger();
    l.fill('buy', '100', '1', '0.1');
    l.fill('buy', '110', '1', '-0.05'); // avg 105
    l.fill('sell', '120', '0.5', '0'); // realizes 0.5·(120 − 105) = 7.5
    expect(l.realizedPnl()).toBe(7_500_000_000_000_000_000n);
    l.fill('sell', '90', '2', '0'); // closes 1.5 at 90: −22.5; opens 0.5 short at 90
    expect(l.realizedPnl()).toBe(-15_000_000_000_000_000_000n);
    expect(l.position()).toBe(-500_000_000_000_000_000n);
    expect(l.unrealizedPnl(80)).toBe(5_000_000_000_000_000_000n); // short 0.5 from 90, mark 80
    expect(l.fees()).toBe(100_000_000_000_000_000n);
    expect(l.rebatesReceived()).toBe(50_000_000_000_000_000n);
  });

  it('starts from the position it found', () => {
    const l = new PnlLedger('2', '100');
    l.fill('sell', '101', '2', '0');
    expect(l.realizedPnl()).toBe(2_000_000_000_000_000_000n);
    expect(l.position()).toBe(0n);
  });

  it('property: a round trip at one price realizes nothing, whatever the order of the fills', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 100_000 }), (lots, px) => {
        const l = new PnlLedger();
        for (const n of lots) l.fill('buy', String(px), String(n / 1000), '0');
        for (const n of [...lots].reverse()) l.fill('sell', String(px), String(n / 1000), '0');
        expect(l.position()).toBe(0n);
        expect(l.realizedPnl()).toBe(0n);
      }),
    );
  });
});

describe('strategy stats', () => {
  it('hand-computed figures: PnL parts, volume, turnover, fill rate, captured and quoted spread, requotes', () => {
    const s = new StrategyStats({ strategy: 's', venue: 'v', account: 'a', symbol: 'BTC-PERP', kind: 'fixed-spread', maxPosition: 1 }, 0);
    s.position({ funding: '1' }); // funding at start: the baseline
    for (const id of ['o1', 'o2', 'o3', 'o4']) s.orderEvent(placed(id));
    s.published([{ slot: 'bid-0', side: 'buy', price: '99.9', qty: '1', postOnly: true }, { slot: 'ask-0', side: 'sell', price: '100.1', qty: '1', postOnly: true }], 100);
    s.fill(fill('f1', 'buy', '99.9', '1', '0.02', 'o1'), 100); // 10 bps under the mid
    s.fill(fill('f2', 'sell', '100.2', '0.5', '-0.01', 'o2'), 100.1); // ~9.99 bps over the mid
    s.fill(fill('f3', 'sell', '100.2', '0.5', '0', 'o2'), 100.1); // the same order again: counted once
    s.position({ funding: '1.5' });
    s.published([], undefined);
    const st = s.snapshot(1_800_000, { ...at, mid: 100.2, position: 0 });
    expect(st.realizedPnl).toBeCloseTo(0.3, 12); // 1 bought at 99.9, sold at 100.2
    expect(st.unrealizedPnl).toBe(0);
    expect(st.fees).toBeCloseTo(0.02, 12);
    expect(st.rebates).toBeCloseTo(0.01, 12);
    expect(st.funding).toBeCloseTo(0.5, 12);
    expect(st.totalPnl).toBeCloseTo(0.3 - 0.02 + 0.01 - 0.5, 12);
    expect(st.volumeBase).toBe(2);
    expect(st.volumeQuote).toBeCloseTo(99.9 + 100.2, 9);
    expect(st.turnoverPerHour).toBeCloseTo(2 / 1 / 0.5, 9); // 2 BTC over max 1 in half an hour
    expect(st.ordersPlaced).toBe(4);
    expect(st.ordersFilled).toBe(2);
    expect(st.fillRate).toBe(0.5);
    const e1 = (0.1 / 100) * 1e4;
    const e2 = ((100.2 - 100.1) / 100.1) * 1e4;
    expect(st.avgCapturedSpreadBps).toBeCloseTo((e1 * 1 + e2 * 1) / 2, 9);
    expect(st.quotedSpreadBps).toBeNull(); // the last set was empty
    expect(st.requotes).toBe(1);
    expect(st.runningSec).toBe(1800);
  });

  it('memory is bounded: order ids beyond the ring are forgotten', () => {
    const s = new StrategyStats({ strategy: 's', venue: 'v', account: 'a', symbol: 'BTC-PERP', kind: 'k', maxPosition: 1 }, 0);
    for (let i = 0; i < 10_000; i++) s.orderEvent(placed(`o${i}`));
    expect(s.snapshot(1, at).ordersPlaced).toBe(10_000);
    expect((s as unknown as { orders: Map<string, boolean> }).orders.size).toBeLessThanOrEqual(4096);
  });
});
