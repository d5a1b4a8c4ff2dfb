import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { bookStream } from './book-stream.js';

const digest = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex');

describe('benchmark workload: book stream', () => {
  it('is the same for the same seed and differs for another', () => {
    const o = { seed: 42, levels: 50, events: 20_000, depthMean: 5, tick: 0.1 };
    expect(digest(bookStream(o))).toBe(digest(bookStream(o)));
    expect(digest(bookStream({ ...o, seed: 43 }))).not.toBe(digest(bookStream(o)));
  });

  it('has 50 levels a side, deletions, updates near the top, and never crosses', () => {
    const s = bookStream({ seed: 1, levels: 50, events: 20_000, depthMean: 5, tick: 0.1 });
    expect(s.bids).toHaveLength(50);
    expect(s.asks).toHaveLength(50);
    expect(s.deltas.filter((d) => d.level[1] === 0).length).toBeGreaterThan(2_000);
    const bids = new Map(s.bids);
    const asks = new Map(s.asks);
    for (const d of s.deltas) {
      const m = d.side === 'bid' ? bids : asks;
      if (d.level[1] === 0) m.delete(d.level[0]);
      else m.set(d.level[0], d.level[1]);
      expect(Math.max(...bids.keys())).toBeLessThan(Math.min(...asks.keys()));
    }
    expect(bids.size).toBeGreaterThan(30);
    expect(asks.size).toBeGreaterThan(30);
  });
});
