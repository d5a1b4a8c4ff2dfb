import { describe, expect, it } from 'vitest';
import { dec } from '@perpetua/core';
import { approvedSlots, market, passes, q, run } from '../helpers.js';

const limits = { maxPositionNotional: '150' };
const mark100 = (position: string) => ({ position: dec(position), market: market('99', '101', { mark: dec('100') }) });

describe('rule: max_position_notional', () => {
  it('flat: quotes at their own prices; exactly the limit passes, one tick more is refused', () => {
    expect(passes(run([q('b', 'buy', '150', '1')], limits), 'b', 'max_position_notional')).toBe(true);
    expect(passes(run([q('b', 'buy', '150.01', '1')], limits), 'b', 'max_position_notional')).toBe(false);
    expect(passes(run([q('a', 'sell', '150.01', '1')], limits), 'a', 'max_position_notional')).toBe(false);
  });

  it('held position at mark plus the side’s quotes: 1 × 100 + 0.5 × 100 = 150 passes, at 100.02 refused', () => {
    expect(passes(run([q('b', 'buy', '100', '0.5')], limits, mark100('1')), 'b', 'max_position_notional')).toBe(true);
    const d = run([q('b', 'buy', '100.02', '0.5')], limits, mark100('1'));
    expect(d.rejects[0]).toEqual({ slot: 'b', rule: 'max_position_notional', detail: 'position notional could reach 150.01 > max 150' });
  });

  it('all same-side quotes count together, closest to the touch kept', () => {
    const d = run([q('bid-0', 'buy', '100', '1'), q('bid-1', 'buy', '99', '0.5'), q('bid-2', 'buy', '98', '0.1')], limits);
    expect(approvedSlots(d)).toEqual(['bid-0', 'bid-1']); // 100 + 49.5 = 149.5; + 9.8 > 150
    expect(d.rejects.map((r) => r.rule)).toEqual(['max_position_notional']);
  });

  it('a quote that lowers the notional passes above the limit; one that raises it does not', () => {
    const d = run([q('b', 'buy', '99', '0.1'), q('a', 'sell', '101', '0.1')], limits, mark100('2')); // held 200 > 150
    expect(approvedSlots(d)).toEqual(['a']);
    expect(d.rejects.map((r) => [r.slot, r.rule])).toEqual([['b', 'max_position_notional']]);
  });

  it('short mirrors long', () => {
    expect(passes(run([q('a', 'sell', '100', '0.5')], limits, mark100('-1')), 'a', 'max_position_notional')).toBe(true);
    expect(passes(run([q('a', 'sell', '100.02', '0.5')], limits, mark100('-1')), 'a', 'max_position_notional')).toBe(false);
  });

  it('without a mark, the held position is valued at the quote price', () => {
    expect(passes(run([q('b', 'buy', '75', '1')], limits, { position: dec('1') }), 'b', 'max_position_notional')).toBe(true);
    expect(passes(run([q('b', 'buy', '75.01', '1')], limits, { position: dec('1') }), 'b', 'max_position_notional')).toBe(false);
  });
});
