import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BookError, SequenceGuard } from '../src/index.js';

describe('SequenceGuard', () => {
  it('reports a gap until it has a baseline', () => {
    const guard = new SequenceGuard();
    expect(guard.synced).toBe(false);
    expect(guard.check(1)).toBe('gap');
    expect(guard.checkRange(1, 5)).toBe('gap');
    guard.reset(0);
    expect(guard.synced).toBe(true);
    expect(guard.check(1)).toBe('ok');
    expect(guard.lastSeq).toBe(1);
  });

  it('accepts exactly previous + 1, drops old ones, flags skips', () => {
    const guard = new SequenceGuard(100);
    expect(guard.check(101)).toBe('ok');
    expect(guard.check(101)).toBe('stale');
    expect(guard.check(50)).toBe('stale');
    expect(guard.check(103)).toBe('gap');
    // A gap does not move the guard: the missing 102 would still fit.
    expect(guard.lastSeq).toBe(101);
    expect(guard.check(102)).toBe('ok');
    expect(guard.gapCount).toBe(1);
    expect(guard.staleCount).toBe(2);
  });

  it('checks range deltas (first..last update id)', () => {
    const guard = new SequenceGuard(100);
    expect(guard.checkRange(95, 100)).toBe('stale');
    expect(guard.checkRange(90, 105)).toBe('ok'); // straddles the baseline
    expect(guard.lastSeq).toBe(105);
    expect(guard.checkRange(106, 106)).toBe('ok');
    expect(guard.checkRange(108, 110)).toBe('gap');
    expect(guard.checkRange(107, 110)).toBe('ok');
    expect(() => guard.checkRange(5, 4)).toThrow(BookError);
  });

  it('rejects sequences that are not non-negative safe integers', () => {
    const guard = new SequenceGuard(1);
    for (const bad of [-1, 0.5, Number.NaN, Infinity, 2 ** 53]) {
      expect(() => guard.check(bad)).toThrow(BookError);
      expect(() => guard.reset(bad)).toThrow(BookError);
    }
    expect(guard.lastSeq).toBe(1);
  });

  it('matches a simple model on any sequence (property)', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.array(fc.nat(1100), { maxLength: 60 }), (start, seqs) => {
        const guard = new SequenceGuard(start);
        let last = start;
        for (const seq of seqs) {
          const expected = seq === last + 1 ? 'ok' : seq <= last ? 'stale' : 'gap';
          expect(guard.check(seq)).toBe(expected);
          if (expected === 'ok') last = seq;
          expect(guard.lastSeq).toBe(last);
        }
      }),
    );
  });
});
