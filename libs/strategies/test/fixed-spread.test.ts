import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixedSpreadQuotes, FixedSpreadParams } from '../src/fixed-spread.js';

const view = (mid: number) => ({ symbol: 'BTC-PERP', bestBid: mid - 1, bestAsk: mid + 1, mid, position: 0, ts: 0 });
const params = FixedSpreadParams.parse({ kind: 'fixed-spread', spreadBps: 10, size: '0.01' });

describe('fixed spread', () => {
  it('quotes mid·(1−s) and mid·(1+s)', () => {
    const [bid, ask] = fixedSpreadQuotes(view(100_000), params);
    expect(bid).toMatchObject({ slot: 'bid-0', side: 'buy', qty: 0.01 });
    expect(bid!.price).toBeCloseTo(99_900, 6);
    expect(ask).toMatchObject({ slot: 'ask-0', side: 'sell', qty: 0.01 });
    expect(ask!.price).toBeCloseTo(100_100, 6);
  });

  it('quotes nothing without a valid mid', () => {
    expect(fixedSpreadQuotes(view(0), params)).toEqual([]);
    expect(fixedSpreadQuotes(view(Number.NaN), params)).toEqual([]);
  });

  it('rejects nonsense parameters', () => {
    expect(() => FixedSpreadParams.parse({ kind: 'fixed-spread', spreadBps: -1, size: '0.01' })).toThrow();
    expect(() => FixedSpreadParams.parse({ kind: 'fixed-spread', spreadBps: 5, size: '-1' })).toThrow();
  });

  it('bid < mid < ask, symmetric around mid (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e7, noNaN: true }), fc.double({ min: 0.01, max: 5000, noNaN: true }), (mid, bps) => {
        const [bid, ask] = fixedSpreadQuotes(view(mid), { ...params, spreadBps: bps });
        expect(bid!.price).toBeLessThan(mid);
        expect(ask!.price).toBeGreaterThan(mid);
        expect((ask!.price + bid!.price) / 2).toBeCloseTo(mid, 6);
      }),
    );
  });
});
