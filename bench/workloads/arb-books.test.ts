import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { arbBooks } from './arb-books.js';
import { percentile } from '../harness/percentile.js';

const digest = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex');

describe('benchmark workload: arbitrage books', () => {
  it('is the same for the same seed, covers every venue and symbol, and books are never crossed', () => {
    const o = { seed: 9, venues: 20, symbols: 50, levels: 10, updates: 5_000, gapChance: 0.01 };
    const a = arbBooks(o);
    expect(digest(a)).toBe(digest(arbBooks(o)));
    expect(digest(arbBooks({ ...o, seed: 10 }))).not.toBe(digest(a));
    expect(a.warmup).toHaveLength(1_000);
    for (const b of [...a.warmup, ...a.updates]) expect(b.bids[0]![0]).toBeLessThan(b.asks[0]![0]);
  });
});

describe('percentile', () => {
  it('is nearest-rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 99.9)).toBe(7);
  });
});
