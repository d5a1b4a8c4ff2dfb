import { describe, expect, it } from 'vitest';
import { ArbOpportunityMessage } from '@perpetua/core';
import { OpportunityTracker, type EdgeResult, type Trigger } from '../src/index.js';

const result = (netEdge: number, qty = 1): EdgeResult => ({ qty, marginalQty: qty, buyVwap: 100, sellVwap: 100 * (1 + netEdge), grossEdge: netEdge, netEdge, netProfit: 100 * netEdge * qty, bestBuy: 100, bestSell: 100 * (1 + netEdge) });
const trigger: Trigger = { venue: 'a', seq: 7, tsExchange: 990, tsReceived: 995 };

describe('OpportunityTracker', () => {
  it('opens, updates only on a change of edge or quantity, and closes with duration and peak edge', () => {
    const t = new OpportunityTracker();
    const pair = t.pair('BTC-PERP', 'a', 'b');
    expect(t.pair('BTC-PERP', 'a', 'b')).toBe(pair);
    expect(t.observe(pair, undefined, 1_000, trigger)).toBeUndefined();

    const opened = t.observe(pair, result(0.002), 1_000, trigger)!;
    expect(opened).toMatchObject({ event: 'opened', symbol: 'BTC-PERP', buyVenue: 'a', sellVenue: 'b', netEdge: 0.002, peakEdge: 0.002, openedAt: 1_000, durationMs: 0, triggerVenue: 'a', triggerSeq: 7, tsExchange: 990, tsReceived: 995 });
    expect(ArbOpportunityMessage.safeParse(opened).success).toBe(true);
    expect(t.openCount).toBe(1);

    expect(t.observe(pair, result(0.002), 1_100, trigger)).toBeUndefined();
    expect(t.observe(pair, result(0.004), 1_200, trigger)).toMatchObject({ event: 'updated', netEdge: 0.004, peakEdge: 0.004, durationMs: 200 });
    expect(t.observe(pair, result(0.004, 2), 1_300, trigger)).toMatchObject({ event: 'updated', qty: 2, peakEdge: 0.004 });
    expect(t.observe(pair, result(0.003, 2), 1_400, trigger)).toMatchObject({ event: 'updated', netEdge: 0.003, peakEdge: 0.004 });

    const closed = t.observe(pair, undefined, 1_500, trigger, 'stale')!;
    expect(closed).toMatchObject({ event: 'closed', reason: 'stale', netEdge: 0.003, qty: 2, peakEdge: 0.004, openedAt: 1_000, durationMs: 500 });
    expect(ArbOpportunityMessage.safeParse(closed).success).toBe(true);
    expect(t.openCount).toBe(0);
    expect(t.observe(pair, undefined, 1_600, trigger)).toBeUndefined();
  });

  it('copies the result, so a caller may reuse one object between calls', () => {
    const t = new OpportunityTracker();
    const pair = t.pair('BTC-PERP', 'a', 'b');
    const scratch = result(0.002);
    t.observe(pair, scratch, 1_000, trigger);
    Object.assign(scratch, result(0.005));
    expect(pair.open!.last.netEdge).toBe(0.002);
    expect(t.observe(pair, scratch, 1_100, trigger)).toMatchObject({ event: 'updated', netEdge: 0.005, peakEdge: 0.005 });
    Object.assign(scratch, result(0.001));
    expect(pair.open!.last.netEdge).toBe(0.005);
  });

  it('keeps pairs apart by direction', () => {
    const t = new OpportunityTracker();
    expect(t.pair('BTC-PERP', 'a', 'b')).not.toBe(t.pair('BTC-PERP', 'b', 'a'));
    expect(t.pair('BTC-PERP', 'a', 'b')).not.toBe(t.pair('ETH-PERP', 'a', 'b'));
  });
});
