import { describe, expect, it } from 'vitest';
import { readHistoryPages } from '../../src/ccxt/history-pages.js';

/** Rows at times 1..n, served as a venue pages them: `limit` a page, from the oldest or the newest. */
function venue(n: number, limit: number, from: 'oldest' | 'newest') {
  const rows = Array.from({ length: n }, (_, i) => i + 1);
  const calls: Array<[number, number | undefined]> = [];
  const fetchPage = async (since: number, until: number | undefined) => {
    calls.push([since, until]);
    const inRange = rows.filter((t) => t >= since && (until === undefined || t <= until));
    return from === 'oldest' ? inRange.slice(0, limit) : inRange.slice(-limit);
  };
  return { calls, fetchPage };
}

describe('readHistoryPages', () => {
  for (const from of ['oldest', 'newest'] as const)
    it(`reads every row once paged from the ${from} (repeats at page edges de-duplicated by the caller)`, async () => {
      const v = venue(25, 10, from);
      const seen = new Set<number>();
      await readHistoryPages(1, { pageSize: 10, from, maxPages: 20 }, v.fetchPage, (raw) => raw.map((t) => (seen.add(t as number), t as number)));
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(v.calls.length).toBeLessThanOrEqual(4);
    });

  it('stops at maxPages, and after a short page', async () => {
    const v = venue(100, 10, 'oldest');
    await readHistoryPages(1, { pageSize: 10, from: 'oldest', maxPages: 3 }, v.fetchPage, (raw) => raw.map((t) => t as number));
    expect(v.calls).toHaveLength(3);
    const short = venue(5, 10, 'oldest');
    await readHistoryPages(1, { pageSize: 10, from: 'oldest', maxPages: 3 }, short.fetchPage, (raw) => raw.map((t) => t as number));
    expect(short.calls).toHaveLength(1);
  });

  it('a full page of rows the caller does not keep ends the read rather than asking the same page again', async () => {
    const v = venue(30, 10, 'oldest');
    await readHistoryPages(1, { pageSize: 10, from: 'oldest', maxPages: 20 }, v.fetchPage, (raw) => raw.map(() => undefined));
    expect(v.calls).toHaveLength(1);
  });
});
