import { describe, expect, it } from 'vitest';
import { passes, q, run } from '../helpers.js';

const limits = { maxOrderSize: '0.1' };

describe('rule: max_order_size', () => {
  it('exactly the max passes; one lot more, or one 1e-18 more, is refused', () => {
    expect(passes(run([q('b', 'buy', '99', '0.1')], limits), 'b', 'max_order_size')).toBe(true);
    expect(passes(run([q('b', 'buy', '99', '0.101')], limits), 'b', 'max_order_size')).toBe(false);
    expect(passes(run([q('a', 'sell', '101', '0.100000000000000001')], limits), 'a', 'max_order_size')).toBe(false);
  });

  it('names the numbers', () => {
    expect(run([q('b', 'buy', '99', '0.2')], limits).rejects).toEqual([{ slot: 'b', rule: 'max_order_size', detail: 'size 0.2 > max order size 0.1' }]);
  });

  it('judges each quote alone: an oversized one does not take down its neighbours', () => {
    const d = run([q('bid-0', 'buy', '99', '0.1'), q('bid-1', 'buy', '98', '0.5'), q('ask-0', 'sell', '101', '0.05')], limits);
    expect(d.approved.map((a) => a.slot)).toEqual(['bid-0', 'ask-0']);
    expect(d.rejects.map((r) => r.slot)).toEqual(['bid-1']);
  });
});
