import { describe, expect, it } from 'vitest';
import { market, passes, q, run } from '../helpers.js';

const book = { market: market('100', '100.02') };

describe('rule: price_through_book', () => {
  it('configured: a buy exactly N bps above the best ask passes, one tick more is refused', () => {
    const m = { market: market('99.9', '100') };
    expect(passes(run([q('b', 'buy', '100.1')], { maxThroughBookBps: 10 }, m), 'b', 'price_through_book')).toBe(true);
    expect(passes(run([q('b', 'buy', '100.11')], { maxThroughBookBps: 10 }, m), 'b', 'price_through_book')).toBe(false);
  });

  it('configured: a sell exactly N bps below the best bid passes, one tick more is refused', () => {
    const m = { market: market('100', '100.1') };
    expect(passes(run([q('a', 'sell', '99.9')], { maxThroughBookBps: 10 }, m), 'a', 'price_through_book')).toBe(true);
    expect(passes(run([q('a', 'sell', '99.89')], { maxThroughBookBps: 10 }, m), 'a', 'price_through_book')).toBe(false);
  });

  it('the band is exact: ask 0.3 at 10 bps allows 0.3003 (floats put it beyond), refuses 0.30030001', () => {
    const m = { market: market('0.2999', '0.3') };
    expect(0.3003 / 0.3 - 1 > 10 / 1e4).toBe(true); // the float answer is wrong here
    expect(passes(run([q('b', 'buy', '0.3003')], { maxThroughBookBps: 10 }, m), 'b', 'price_through_book')).toBe(true);
    expect(passes(run([q('b', 'buy', '0.30030001')], { maxThroughBookBps: 10 }, m), 'b', 'price_through_book')).toBe(false);
  });

  it('unset: post-only quotes get 0 bps — at the touch passes, one tick through is refused', () => {
    expect(passes(run([q('b', 'buy', '100.02')], {}, book), 'b', 'price_through_book')).toBe(true);
    expect(passes(run([q('b', 'buy', '100.03')], {}, book), 'b', 'price_through_book')).toBe(false);
    expect(passes(run([q('a', 'sell', '100')], {}, book), 'a', 'price_through_book')).toBe(true);
    expect(passes(run([q('a', 'sell', '99.99')], {}, book), 'a', 'price_through_book')).toBe(false);
  });

  it('unset: taker (not post-only) quotes are unchecked; configured, they are', () => {
    expect(passes(run([q('b', 'buy', '105', '1', false)], {}, book), 'b', 'price_through_book')).toBe(true);
    expect(passes(run([q('b', 'buy', '105', '1', false)], { maxThroughBookBps: 50 }, book), 'b', 'price_through_book')).toBe(false);
  });

  it('an empty opposite side has nothing to cross; no book at all is not this rule’s business', () => {
    expect(passes(run([q('b', 'buy', '1000')], {}, { market: market('100', undefined) }), 'b', 'price_through_book')).toBe(true);
    expect(passes(run([q('b', 'buy', '1000')], {}), 'b', 'price_through_book')).toBe(true);
  });

  it('names the numbers', () => {
    const d = run([q('b', 'buy', '100.11')], { maxThroughBookBps: 10 }, { market: market('99.9', '100') });
    expect(d.rejects[0]!.detail).toBe('buy 100.11 is above best ask 100 by 11 bps > max 10 bps');
    const s = run([q('a', 'sell', '99.99')], {}, book);
    expect(s.rejects[0]!.detail).toBe('sell 99.99 is below best bid 100 by 1 bps > max 0 bps');
  });
});
