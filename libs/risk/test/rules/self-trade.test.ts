import { describe, expect, it } from 'vitest';
import { approvedSlots, passes, q, run } from '../helpers.js';

describe('rule: self_trade', () => {
  it('in the set: a sell at our buy price is refused, one tick above passes', () => {
    const d = run([q('bid-0', 'buy', '100'), q('ask-0', 'sell', '100')], {});
    expect(approvedSlots(d)).toEqual(['bid-0']);
    expect(d.rejects).toEqual([{ slot: 'ask-0', rule: 'self_trade', detail: 'sell 100 would trade with our buy bid-0 at 100 in this set' }]);
    expect(approvedSlots(run([q('bid-0', 'buy', '100'), q('ask-0', 'sell', '100.01')], {}))).toEqual(['bid-0', 'ask-0']);
  });

  it('in the set: the quote checked later (the crossing ask) is refused, the best bid survives', () => {
    // Order is bid-x 101, ask-0 100.5, bid-0 100, bid-1 99: ask-0 crosses bid-x, which came first.
    const d = run([q('bid-0', 'buy', '100'), q('ask-0', 'sell', '100.5'), q('bid-1', 'buy', '99'), q('bid-x', 'buy', '101')], {});
    expect(d.rejects.map((r) => [r.slot, r.rule])).toEqual([['ask-0', 'self_trade']]);
  });

  it('against another strategy: a buy at or above its sell is refused, one tick below passes', () => {
    const otherQuotes = [{ strategy: 'mm2', slot: 'ask-0', side: 'sell' as const, price: '101' }];
    expect(passes(run([q('b', 'buy', '100.99')], {}, { otherQuotes }), 'b', 'self_trade')).toBe(true);
    const d = run([q('b', 'buy', '101')], {}, { otherQuotes });
    expect(d.rejects[0]).toEqual({ slot: 'b', rule: 'self_trade', detail: 'buy 101 would trade with our sell ask-0 at 101 (strategy mm2)' });
    expect(passes(run([q('b', 'buy', '102')], {}, { otherQuotes }), 'b', 'self_trade')).toBe(false);
  });

  it('against another strategy: a sell at or below its buy is refused, one tick above passes', () => {
    const otherQuotes = [{ strategy: 'mm2', slot: 'bid-0', side: 'buy' as const, price: '99' }];
    expect(passes(run([q('a', 'sell', '99.01')], {}, { otherQuotes }), 'a', 'self_trade')).toBe(true);
    expect(passes(run([q('a', 'sell', '99')], {}, { otherQuotes }), 'a', 'self_trade')).toBe(false);
  });

  it('same-side quotes never self-trade; a refused quote does not block others', () => {
    const otherQuotes = [{ strategy: 'mm2', slot: 'bid-0', side: 'buy' as const, price: '200' }];
    expect(passes(run([q('b', 'buy', '300')], {}, { otherQuotes }), 'b', 'self_trade')).toBe(true);
    // ask-0 (too big) is refused first, so it is not there for bid-0 to trade with.
    const d = run([q('bid-0', 'buy', '100', '1'), q('ask-0', 'sell', '99', '5')], { maxOrderSize: '2' });
    expect(approvedSlots(d)).toEqual(['bid-0']);
    expect(d.rejects[0]!.rule).toBe('max_order_size');
  });
});
