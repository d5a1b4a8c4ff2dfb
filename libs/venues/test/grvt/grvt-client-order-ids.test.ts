import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GrvtClientOrderIds, grvtNumericClientId } from '../../src/grvt/grvt-client-order-ids.js';

/** GRVT's UI draws client order ids from [0, 2^63); API clients use [2^63, 2^64) (OrderMetadata, api-docs.grvt.io). */
const API_START = 1n << 63n;
const UINT64_END = 1n << 64n;
const inApiRange = (text: string): boolean => /^\d+$/.test(text) && BigInt(text) >= API_START && BigInt(text) < UINT64_END;

/** Any id a caller might pass: our router's shape, arbitrary text, and decimals on both sides of 2^63. */
const anyId = fc.oneof(
  fc.string({ minLength: 1, maxLength: 36 }),
  fc.stringMatching(/^pp[0-9a-f]{10}[0-9a-z]{1,8}$/),
  fc.bigInt({ min: 0n, max: UINT64_END + 10n }).map(String),
);

describe('GRVT client order ids', () => {
  it('every order we place carries a number with bit 63 set, stable for the same id', () => {
    fc.assert(
      fc.property(anyId, (id) => {
        const n = grvtNumericClientId(id);
        expect(inApiRange(n)).toBe(true);
        expect((BigInt(n) >> 63n) & 1n).toBe(1n);
        expect(grvtNumericClientId(id)).toBe(n);
        const ids = new GrvtClientOrderIds();
        expect(ids.numeric(id)).toBe(n);
        // What the venue reports maps back to our id, and a cancel or query designates the same number.
        expect(ids.ours(n)).toBe(id);
        expect(ids.reference(id)).toBe(n);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a decimal already in the API range is sent as itself; one in the UI range or beyond uint64 is mapped into it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: API_START, max: UINT64_END - 1n }), (n) => {
        expect(grvtNumericClientId(String(n))).toBe(String(n));
      }),
    );
    expect(grvtNumericClientId('12345')).not.toBe('12345');
    expect(inApiRange(grvtNumericClientId('0'))).toBe(true);
    expect(inApiRange(grvtNumericClientId(String(UINT64_END)))).toBe(true);
    expect(inApiRange(grvtNumericClientId('09223372036854775808'))).toBe(true); // not canonical: hashed
  });

  it('distinct ids get distinct numbers (no collision among many router-shaped ids)', () => {
    const ids = new GrvtClientOrderIds();
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(ids.numeric(`pp0123456789${i.toString(36)}`));
    expect(seen.size).toBe(20_000);
  });

  it('an order only known from GRVT (reported as its number) is cancelled or queried by that number, UI range included', () => {
    const ids = new GrvtClientOrderIds();
    expect(ids.ours('42')).toBe('42');
    expect(ids.reference('42')).toBe('42');
    expect(ids.reference('9223372036854775809')).toBe('9223372036854775809');
    // But an order we place under a decimal id of the UI range goes out in the API range, and is found again by it.
    const placed = ids.numeric('42');
    expect(inApiRange(placed)).toBe(true);
    expect(ids.reference('42')).toBe(placed);
  });
});
