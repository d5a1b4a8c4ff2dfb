import { describe, expect, it } from 'vitest';
import { dec } from '@perpetua/core';
import { approvedSlots, passes, q, run } from '../helpers.js';

const limits = { maxPosition: '1' };

describe('rule: max_position', () => {
  it('long: reaching the limit exactly passes, 1e-18 beyond is refused', () => {
    expect(passes(run([q('b', 'buy', '99', '0.5')], limits, { position: dec('0.5') }), 'b', 'max_position')).toBe(true);
    expect(passes(run([q('b', 'buy', '99', '0.5')], limits, { position: dec('0.500000000000000001') }), 'b', 'max_position')).toBe(false);
  });

  it('short mirrors long', () => {
    expect(passes(run([q('a', 'sell', '101', '0.5')], limits, { position: dec('-0.5') }), 'a', 'max_position')).toBe(true);
    const d = run([q('a', 'sell', '101', '0.5')], limits, { position: dec('-0.6') });
    expect(d.rejects[0]).toEqual({ slot: 'a', rule: 'max_position', detail: 'position could reach -1.1 < -1' });
  });

  it('counts every same-side quote as filled, keeping those closest to the touch', () => {
    const d = run([q('bid-1', 'buy', '98', '0.4'), q('bid-0', 'buy', '99', '0.4'), q('bid-2', 'buy', '97', '0.4')], limits);
    expect(approvedSlots(d)).toEqual(['bid-0', 'bid-1']);
    expect(d.rejects).toEqual([{ slot: 'bid-2', rule: 'max_position', detail: 'position could reach 1.2 > max 1' }]);
  });

  it('the reducing side stays open beyond the limit', () => {
    const d = run([q('b', 'buy', '99', '0.1'), q('a', 'sell', '101', '0.5')], limits, { position: dec('3') });
    expect(approvedSlots(d)).toEqual(['a']);
    expect(d.rejects.map((r) => r.rule)).toEqual(['max_position']);
  });
});
