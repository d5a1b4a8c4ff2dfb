import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { snapPrice, snapQty, trySnapQty, SnapError } from '../src/snap.js';
import { dec } from '../src/decimal.js';

const inst = { tickSize: '0.1', lotSize: '0.001', minQty: '0.001' };

describe('snap', () => {
  it('snaps passively: buys down, sells up', () => {
    expect(snapPrice(inst, 'buy', 100.19)).toBe('100.1');
    expect(snapPrice(inst, 'sell', 100.11)).toBe('100.2');
    expect(snapPrice(inst, 'buy', '100.1')).toBe('100.1');
    expect(snapPrice(inst, 'sell', '100.1')).toBe('100.1');
  });

  it('snaps aggressively and to nearest on request', () => {
    expect(snapPrice(inst, 'buy', 100.11, 'aggressive')).toBe('100.2');
    expect(snapPrice(inst, 'sell', 100.19, 'aggressive')).toBe('100.1');
    expect(snapPrice(inst, 'buy', 100.16, 'nearest')).toBe('100.2');
  });

  it('handles float noise like 0.1 + 0.2 without drifting a tick', () => {
    expect(snapPrice({ tickSize: '0.01' }, 'sell', 0.1 + 0.2)).toBe('0.31');
    expect(snapPrice({ tickSize: '0.01' }, 'buy', 0.1 + 0.2)).toBe('0.3');
  });

  it('snaps sizes down to the lot and enforces the minimum', () => {
    expect(snapQty(inst, 0.0019)).toBe('0.001');
    expect(() => snapQty(inst, 0.0009)).toThrow(SnapError);
    expect(() => snapQty(inst, -1)).toThrow(SnapError);
    expect(trySnapQty(inst, 0.0009)).toBeNull();
  });

  it('rejects non-positive prices and prices under one tick', () => {
    expect(() => snapPrice(inst, 'buy', 0)).toThrow(SnapError);
    expect(() => snapPrice(inst, 'buy', 0.05)).toThrow(SnapError);
    expect(() => snapPrice(inst, 'buy', Number.NaN)).toThrow();
  });

  it('a passive snap never improves the price (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.constantFrom('buy' as const, 'sell' as const), (price, side) => {
        const snapped = dec(snapPrice(inst, side, price));
        const raw = dec(price);
        if (side === 'buy') expect(snapped <= raw).toBe(true);
        else expect(snapped >= raw).toBe(true);
        expect(snapped % dec(inst.tickSize)).toBe(0n);
      }),
    );
  });
});
