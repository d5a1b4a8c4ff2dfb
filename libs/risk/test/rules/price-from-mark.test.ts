import { describe, expect, it } from 'vitest';
import { dec } from '@perpetua/core';
import { market, passes, q, run } from '../helpers.js';

const limits = { maxFromMarkBps: 50 };
const withMark = { market: market('99', '101', { mark: dec('100') }) };

describe('rule: price_from_mark', () => {
  it('exactly M bps above or below the mark passes, one tick beyond is refused', () => {
    expect(passes(run([q('a', 'sell', '100.5')], limits, withMark), 'a', 'price_from_mark')).toBe(true);
    expect(passes(run([q('a', 'sell', '100.51')], limits, withMark), 'a', 'price_from_mark')).toBe(false);
    expect(passes(run([q('b', 'buy', '99.5')], limits, withMark), 'b', 'price_from_mark')).toBe(true);
    expect(passes(run([q('b', 'buy', '99.49')], limits, withMark), 'b', 'price_from_mark')).toBe(false);
  });

  it('is exact at the band: mark 1.1 at 10 bps allows 1.1011 and refuses 1.10110001', () => {
    const m = { market: market(undefined, undefined, { mark: dec('1.1') }) };
    expect(passes(run([q('a', 'sell', '1.1011')], { maxFromMarkBps: 10 }, m), 'a', 'price_from_mark')).toBe(true);
    expect(passes(run([q('a', 'sell', '1.10110001')], { maxFromMarkBps: 10 }, m), 'a', 'price_from_mark')).toBe(false);
  });

  it('falls back to the book mid when there is no mark', () => {
    const m = { market: market('99.9', '100.1') }; // mid 100
    expect(passes(run([q('a', 'sell', '100.5')], limits, m), 'a', 'price_from_mark')).toBe(true);
    const d = run([q('a', 'sell', '100.51')], limits, m);
    expect(d.rejects[0]!.detail).toBe('price 100.51 is 51 bps from mid 100 > max 50 bps');
  });

  it('with the limit set and no mark or mid, refuses (fail closed)', () => {
    const d = run([q('b', 'buy', '100')], limits, { market: market('99', undefined) });
    expect(d.rejects[0]).toMatchObject({ rule: 'price_from_mark', detail: 'no mark or mid price to check the price band against' });
  });

  it('names the numbers', () => {
    expect(run([q('b', 'buy', '99.49')], limits, withMark).rejects[0]!.detail).toBe('price 99.49 is 51 bps from mark 100 > max 50 bps');
  });

  it('is off when unset', () => {
    expect(passes(run([q('b', 'buy', '1')], {}, withMark), 'b', 'price_from_mark')).toBe(true);
  });
});
