import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatScaled } from '../../src/engine/step-scale.js';
import { comparePriceText } from '../../src/facades/price-text-order.js';

// Engine price texts: a non-negative integer count of 10^-decimals, printed canonically.
const priceText = fc.record({ scaled: fc.integer({ min: 0, max: 2 ** 40 }), decimals: fc.integer({ min: 0, max: 8 }) });

describe('comparePriceText', () => {
  it('orders canonical decimal texts exactly as their values', () => {
    fc.assert(
      fc.property(priceText, priceText, (a, b) => {
        const ta = formatScaled(a.scaled, a.decimals);
        const tb = formatScaled(b.scaled, b.decimals);
        // Exact: compare a.scaled / 10^a.decimals with b.scaled / 10^b.decimals over integers.
        const va = BigInt(a.scaled) * 10n ** BigInt(8 - a.decimals);
        const vb = BigInt(b.scaled) * 10n ** BigInt(8 - b.decimals);
        expect(Math.sign(comparePriceText(ta, tb))).toBe(va < vb ? -1 : va > vb ? 1 : 0);
      }),
      { numRuns: 2_000 },
    );
  });

  it('handles prefixes and differing integer lengths', () => {
    expect(comparePriceText('100', '100.5')).toBeLessThan(0);
    expect(comparePriceText('99.99', '100')).toBeLessThan(0);
    expect(comparePriceText('100.45', '100.5')).toBeLessThan(0);
    expect(comparePriceText('0.5', '0.05')).toBeGreaterThan(0);
    expect(comparePriceText('12.5', '12.5')).toBe(0);
  });
});
