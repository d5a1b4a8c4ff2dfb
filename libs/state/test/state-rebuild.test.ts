import { describe, expect, it } from 'vitest';
import type { Fill, FundingPayment } from '@perpetua/core';
import { MemoryStateStore, isTruncated, rebuildState, type FillHistory, type FillHistorySpan } from '../src/index.js';

// rebuildState against the memory store, with the stream and the venue as plain arrays.
const fill = (n: number, over: Partial<Fill> = {}): Fill => ({
  fillId: `f${n}`, venue: 'v', account: 'a', symbol: 'BTC-PERP', clientOrderId: `c${n}`, side: 'buy',
  price: '100', qty: '1', fee: '0.1', liquidity: 'maker', tsExchange: n * 10 + 0.7, tsReceived: n * 10 + 3, ...over,
});

function history(fills: Fill[], span: Partial<FillHistorySpan> = {}): FillHistory {
  return {
    async readFills(onFill) {
      const lastSeq = span.lastSeq ?? fills.length;
      const firstSeq = span.firstSeq ?? 1;
      for (const [i, f] of fills.entries()) await onFill(f, { streamSeq: firstSeq + i, lastSeq });
      return { firstSeq, lastSeq, messages: fills.length, invalid: span.invalid ?? 0 };
    },
  };
}

describe('rebuildState', () => {
  it('books in stream order, counts duplicates, restores the watermarks and reports progress', async () => {
    const store = new MemoryStateStore();
    const fills = [fill(1), fill(2, { side: 'sell', qty: '0.4', price: '110' }), fill(1), fill(3, { account: 'b', symbol: 'ETH-PERP' })];
    const progress: Array<[number, number, number]> = [];
    const report = await rebuildState({ fills: history(fills), store, progressEvery: 2, onProgress: (p) => progress.push([p.fillsReplayed, p.duplicatesSkipped, p.streamSeq]) });
    expect(report).toMatchObject({ fillsReplayed: 3, duplicatesSkipped: 1, accounts: ['v/a', 'v/b'], symbols: ['v/BTC-PERP', 'v/ETH-PERP'], positions: 2, truncated: false, fundingSources: [] });
    expect(progress).toEqual([[2, 0, 2], [3, 1, 4], [3, 1, 4]]);
    expect(await store.fillLog('v', 'a', 'BTC-PERP')).toEqual(['f1', 'f2']);
    expect(await store.getPosition('v', 'a', 'BTC-PERP')).toMatchObject({ qty: '0.6', realizedPnl: '4', fees: '0.2', fills: 2, updatedAt: 23 });
    expect(await store.getFillWatermark('v', 'a')).toBe(20);
    expect(await store.getFillWatermark('v', 'b')).toBe(30);
  });

  it("books each source's own funding from sinceMs, idempotently, and moves the funding watermark", async () => {
    const store = new MemoryStateStore();
    const payments: FundingPayment[] = [
      { paymentId: 'p1', venue: 'v', account: 'a', symbol: 'BTC-PERP', amount: '1.5', tsExchange: 100 },
      { paymentId: 'p1', venue: 'v', account: 'a', symbol: 'BTC-PERP', amount: '1.5', tsExchange: 100 },
      { paymentId: 'p2', venue: 'v', account: 'other', symbol: 'BTC-PERP', amount: '9', tsExchange: 200 },
      { paymentId: 'p3', venue: 'v', account: 'a', symbol: 'BTC-PERP', amount: '-0.5', tsExchange: 50 },
    ];
    const asked: number[] = [];
    const report = await rebuildState({
      fills: history([fill(1)]),
      store,
      funding: { sinceMs: 42, sources: [{ venue: 'v', account: 'a', fundingPayments: async (since) => (asked.push(since), payments) }] },
    });
    expect(asked).toEqual([42]);
    expect(report).toMatchObject({ fundingBooked: 2, fundingDuplicates: 1, fundingSources: ['v/a'], accounts: ['v/a'] });
    expect(await store.getPosition('v', 'a', 'BTC-PERP')).toMatchObject({ funding: '1', updatedAt: 100 });
    expect(await store.getFundingWatermark('v', 'a')).toBe(100);
    expect(await store.getFundingWatermark('v', 'other')).toBeUndefined();
  });

  it('reports a stream that lost its first fills as truncated', async () => {
    expect((await rebuildState({ fills: history([fill(9)], { firstSeq: 9, lastSeq: 9 }), store: new MemoryStateStore() })).truncated).toBe(true);
    expect(isTruncated({ firstSeq: 0, lastSeq: 0, messages: 0 })).toBe(false);
    expect(isTruncated({ firstSeq: 8, lastSeq: 7, messages: 0 })).toBe(true);
    expect(isTruncated({ firstSeq: 1, lastSeq: 7, messages: 7 })).toBe(false);
  });
});
