import { describe, expect, it } from 'vitest';
import { dec } from '@perpetua/core';
import { approvedSlots, market, passes, q, run } from '../helpers.js';

const limits = { maxTotalNotional: '200' };
// 100 elsewhere: |−2| × 50 on another venue; 0 on a third.
const otherPositions = [
  { venue: 'bybit', symbol: 'ETH-PERP', position: dec('-2'), mark: dec('50') },
  { venue: 'grvt', symbol: 'SOL-PERP', position: dec('0'), mark: dec('150') },
];

describe('rule: max_total_notional', () => {
  it('other positions at mark plus this set’s worst side: exactly at the limit passes, one tick more is refused', () => {
    expect(passes(run([q('b', 'buy', '100', '1')], limits, { otherPositions }), 'b', 'max_total_notional')).toBe(true);
    const d = run([q('b', 'buy', '100.01', '1')], limits, { otherPositions });
    expect(d.rejects[0]).toEqual({ slot: 'b', rule: 'max_total_notional', detail: 'total notional could reach 200.01 > max 200' });
  });

  it('this symbol counts its larger side only: a buy and a sell of 100 each fit under 200 with 100 elsewhere', () => {
    const d = run([q('b', 'buy', '100', '1'), q('a', 'sell', '100.5', '0.995')], limits, { otherPositions });
    expect(approvedSlots(d)).toEqual(['b', 'a']);
  });

  it('this symbol’s held position counts at mark', () => {
    const m = { otherPositions, position: dec('0.5'), market: market('99', '101', { mark: dec('100') }) };
    expect(passes(run([q('b', 'buy', '100', '0.5')], limits, m), 'b', 'max_total_notional')).toBe(true);
    expect(passes(run([q('b', 'buy', '100', '0.51')], limits, m), 'b', 'max_total_notional')).toBe(false);
  });

  it('over the limit already, a reducing quote still passes and a growing one does not', () => {
    const m = { otherPositions, position: dec('2'), market: market('99', '101', { mark: dec('100') }) }; // 100 + 200
    const d = run([q('b', 'buy', '99', '0.1'), q('a', 'sell', '101', '0.1')], limits, m);
    expect(approvedSlots(d)).toEqual(['a']);
    expect(d.rejects.map((r) => [r.slot, r.rule])).toEqual([['b', 'max_total_notional']]);
  });

  it('is off when unset', () => {
    expect(passes(run([q('b', 'buy', '1000', '10')], {}, { otherPositions }), 'b', 'max_total_notional')).toBe(true);
  });
});
