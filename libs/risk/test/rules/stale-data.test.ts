import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NOW, approvedSlots, market, q, run } from '../helpers.js';

const set = [q('bid-0', 'buy', '99'), q('ask-0', 'sell', '101')];
const guard = { maxBookAgeMs: 2000 };

describe('rule: stale_data', () => {
  it('is off without maxBookAgeMs: no book, an old book or a stale flag do not refuse', () => {
    expect(approvedSlots(run(set, {}))).toEqual(['bid-0', 'ask-0']);
    expect(approvedSlots(run(set, {}, { market: market('98', '102', { stale: true, tsPublished: 0 }) }))).toEqual(['bid-0', 'ask-0']);
  });

  it('book age exactly at the limit passes, one millisecond older refuses the whole set', () => {
    expect(approvedSlots(run(set, guard, { market: market('98', '102', { tsPublished: NOW - 2000 }) }))).toEqual(['bid-0', 'ask-0']);
    const d = run(set, guard, { market: market('98', '102', { tsPublished: NOW - 2001 }) });
    expect(d.approved).toEqual([]);
    expect(d.rejects).toEqual([
      { slot: 'bid-0', rule: 'stale_data', detail: 'book age 2001 ms > max 2000 ms' },
      { slot: 'ask-0', rule: 'stale_data', detail: 'book age 2001 ms > max 2000 ms' },
    ]);
  });

  it('a book flagged stale by the gateway refuses the set, however fresh', () => {
    const d = run(set, guard, { market: market('98', '102', { stale: true }) });
    expect(d.rejects.map((r) => [r.rule, r.detail])).toEqual([
      ['stale_data', 'book is flagged stale'],
      ['stale_data', 'book is flagged stale'],
    ]);
  });

  it('a missing book refuses the set', () => {
    const d = run(set, guard);
    expect(d.rejects.map((r) => r.detail)).toEqual(['no book for the symbol', 'no book for the symbol']);
  });

  it('crossed (bid > ask) and locked (bid = ask) books refuse; one tick apart passes', () => {
    expect(run(set, guard, { market: market('100.01', '100') }).rejects[0]).toMatchObject({ rule: 'stale_data', detail: 'book is crossed: best bid 100.01 >= best ask 100' });
    expect(run(set, guard, { market: market('100', '100') }).rejects[0]!.rule).toBe('stale_data');
    const ok = run([q('b', 'buy', '99.99'), q('a', 'sell', '100')], guard, { market: market('99.99', '100') });
    expect(approvedSlots(ok)).toEqual(['b', 'a']);
  });

  it('a one-sided book is not crossed and not missing', () => {
    expect(approvedSlots(run([q('b', 'buy', '99')], guard, { market: market('98', undefined) }))).toEqual(['b']);
  });

  it('a stale book rejects all, whatever the set (property)', () => {
    const quote = fc.record({ side: fc.constantFrom('buy' as const, 'sell' as const), price: fc.integer({ min: 1, max: 1000 }) });
    const staleBook = fc.oneof(
      fc.constant(market('98', '102', { stale: true })),
      fc.integer({ min: 2001, max: 10_000_000 }).map((age) => market('98', '102', { tsPublished: NOW - age })),
      fc.integer({ min: 0, max: 100 }).map((d) => market(String(100 + d), '100')),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(fc.array(quote, { maxLength: 20 }), staleBook, (qs, m) => {
        const quotes = qs.map((x, i) => q(`s-${i}`, x.side, String(x.price)));
        const d = run(quotes, guard, m === undefined ? {} : { market: m });
        expect(d.approved).toEqual([]);
        expect(d.rejects.length).toBe(quotes.length);
        expect(d.rejects.every((r) => r.rule === 'stale_data')).toBe(true);
      }),
    );
  });
});
