import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CachedSnapper, snapPrice, trySnapQty } from '../src/index.js';

const INSTRUMENTS = [
  { tickSize: '0.1', lotSize: '0.001', minQty: '0.001' },
  { tickSize: '0.01', lotSize: '0.01', minQty: '0.05' },
  { tickSize: '0.5', lotSize: '1', minQty: '1' },
  { tickSize: '0.0001', lotSize: '0.1', minQty: '0.1' },
];

describe('CachedSnapper', () => {
  it('gives what snapPrice (passive) gives, for prices on, near and between ticks', () => {
    for (const inst of INSTRUMENTS) {
      const snap = new CachedSnapper(inst);
      const tick = Number(inst.tickSize);
      const price = fc.oneof(
        fc.double({ min: tick * 2, max: 1e6, noNaN: true }),
        // On a tick and a hair either side of it: where float division could fall on the wrong side.
        fc.tuple(fc.integer({ min: 2, max: 10_000_000 }), fc.constantFrom(0, 1e-12, -1e-12, 1e-9, -1e-9, Number.EPSILON)).map(([k, e]) => k * tick * (1 + e)),
      );
      fc.assert(
        fc.property(price, fc.constantFrom('buy' as const, 'sell' as const), (raw, side) => {
          if (!(raw > 0)) return;
          let expected: string | Error;
          try {
            expected = snapPrice(inst, side, raw, 'passive');
          } catch (err) {
            expected = err as Error;
          }
          if (expected instanceof Error) {
            expect(() => snap.passivePrice(side, raw)).toThrow();
            return;
          }
          const got = snap.passivePrice(side, raw);
          expect(got.text).toBe(expected);
          expect(got.num).toBe(Number(expected));
        }),
        { numRuns: 3000 },
      );
    }
  });

  it('throws as snapPrice does for a price that rounds to zero', () => {
    const snap = new CachedSnapper(INSTRUMENTS[0]!);
    expect(() => snap.passivePrice('buy', 0.05)).toThrow();
    expect(snap.passivePrice('sell', 0.05).text).toBe('0.1');
  });

  it('gives what trySnapQty gives', () => {
    for (const inst of INSTRUMENTS) {
      const snap = new CachedSnapper(inst);
      fc.assert(
        fc.property(fc.double({ min: 1e-6, max: 1e4, noNaN: true }), (size) => {
          expect(snap.qty(size)?.text ?? null).toBe(trySnapQty(inst, size));
        }),
        { numRuns: 2000 },
      );
    }
  });
});
