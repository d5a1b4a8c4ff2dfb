import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { D, dec, type PositionDifference } from '@perpetua/core';
import { breachReason, positionBreaches, positionGap } from '../../src/reconcile/position-tolerance.js';

const qty = fc.integer({ min: -100_000, max: 100_000 }).map((n) => D.toText(D.div(dec(n), dec(1000))));
const diff = fc.record({ symbol: fc.constantFrom('BTC-PERP', 'ETH-PERP', 'SOL-PERP'), venueQty: qty, storeQty: qty });

describe('position tolerance', () => {
  it('a difference is a breach exactly when |venue - booked| exceeds the tolerance', () => {
    fc.assert(
      fc.property(fc.array(diff, { maxLength: 8 }), fc.integer({ min: 0, max: 50_000 }), (diffs: PositionDifference[], t) => {
        const tolerance = D.toText(D.div(dec(t), dec(1000)));
        const breaches = positionBreaches(diffs, tolerance);
        const expected = diffs.filter((d) => D.abs(D.sub(dec(d.venueQty), dec(d.storeQty))) > dec(tolerance));
        expect(breaches.map(({ difference: _d, ...rest }) => rest)).toEqual(expected);
        for (const b of breaches) expect(dec(b.difference)).toBe(positionGap(b));
      }),
    );
  });

  it('equal to the tolerance is within it; no tolerance configured: never a breach', () => {
    const d = { symbol: 'BTC-PERP', venueQty: '0.5', storeQty: '0.25' };
    expect(positionBreaches([d], '0.25')).toEqual([]);
    expect(positionBreaches([d], '0.2499')).toEqual([{ ...d, difference: '0.25' }]);
    expect(positionBreaches([{ ...d, venueQty: '100' }], undefined)).toEqual([]);
  });

  it('the reason names every breaching symbol with both sides, within risk.state bounds', () => {
    const reason = breachReason([{ symbol: 'BTC-PERP', venueQty: '-0.1', storeQty: '0.2', difference: '0.3' }], '0.01');
    expect(reason).toBe('position difference beyond tolerance 0.01: BTC-PERP venue -0.1 vs booked 0.2 (off by 0.3)');
    const many = Array.from({ length: 50 }, (_, i) => ({ symbol: `S${i}-PERP`, venueQty: '1', storeQty: '0', difference: '1' }));
    expect(breachReason(many, '0').length).toBeLessThanOrEqual(500);
  });
});
