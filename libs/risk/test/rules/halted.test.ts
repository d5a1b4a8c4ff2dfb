import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { approvedSlots, q, run } from '../helpers.js';

describe('rule: halted', () => {
  it('refuses every quote with the halt reason', () => {
    const d = run([q('bid-0', 'buy', '99'), q('ask-0', 'sell', '101')], {}, { halted: true, haltReason: 'max_daily_loss' });
    expect(d.approved).toEqual([]);
    expect(d.rejects).toEqual([
      { slot: 'bid-0', rule: 'halted', detail: 'trading is halted: max_daily_loss' },
      { slot: 'ask-0', rule: 'halted', detail: 'trading is halted: max_daily_loss' },
    ]);
    expect(d.placements).toBe(0);
  });

  it('without a reason says so plainly; not halted approves', () => {
    expect(run([q('b', 'buy', '99')], {}, { halted: true }).rejects[0]!.detail).toBe('trading is halted');
    expect(approvedSlots(run([q('b', 'buy', '99')], {}, { halted: false }))).toEqual(['b']);
  });

  it('comes before the stale-data guard', () => {
    const d = run([q('b', 'buy', '99')], { maxBookAgeMs: 1000 }, { halted: true });
    expect(d.rejects[0]!.rule).toBe('halted');
  });

  it('halting rejects all, whatever the set (property)', () => {
    const quote = fc.record({ side: fc.constantFrom('buy' as const, 'sell' as const), price: fc.integer({ min: 1, max: 1000 }), qty: fc.integer({ min: 1, max: 100 }) });
    fc.assert(
      fc.property(fc.array(quote, { maxLength: 20 }), (qs) => {
        const quotes = qs.map((x, i) => q(`s-${i}`, x.side, String(x.price), String(x.qty)));
        const d = run(quotes, {}, { halted: true });
        expect(d.approved).toEqual([]);
        expect(d.rejects.map((r) => r.slot)).toEqual(quotes.map((x) => x.slot));
        expect(d.rejects.every((r) => r.rule === 'halted')).toBe(true);
      }),
    );
  });
});
