import { describe, expect, it } from 'vitest';
import { passes, q, run } from '../helpers.js';

const limits = { maxOrderNotional: '50' };

describe('rule: max_order_notional', () => {
  it('price × qty exactly at the max passes; one tick of price more is refused', () => {
    expect(passes(run([q('b', 'buy', '100', '0.5')], limits), 'b', 'max_order_notional')).toBe(true);
    expect(passes(run([q('b', 'buy', '100.01', '0.5')], limits), 'b', 'max_order_notional')).toBe(false);
    expect(passes(run([q('a', 'sell', '100', '0.500001')], limits), 'a', 'max_order_notional')).toBe(false);
  });

  it('is exact where floats are not: 0.1 × 3 equals 0.3', () => {
    // 0.1 * 3 === 0.30000000000000004 in floats.
    expect(passes(run([q('b', 'buy', '0.1', '3')], { maxOrderNotional: '0.3' }), 'b', 'max_order_notional')).toBe(true);
  });

  it('names the numbers', () => {
    expect(run([q('b', 'buy', '100.01', '0.5')], limits).rejects[0]!.detail).toBe('notional 50.005 (0.5 × 100.01) > max order notional 50');
  });

  it('is off when unset', () => {
    expect(passes(run([q('b', 'buy', '100000', '5')], {}), 'b', 'max_order_notional')).toBe(true);
  });

  it('comes after max order size', () => {
    expect(run([q('b', 'buy', '100', '2')], { ...limits, maxOrderSize: '1' }).rejects[0]!.rule).toBe('max_order_size');
  });
});
