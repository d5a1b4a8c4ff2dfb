import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReconnectBackoff } from '../../src/connection/reconnect-backoff.js';

describe('ReconnectBackoff', () => {
  it('doubles the ceiling per failure up to the cap, never waits less than half of it, and jitters the rest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 100 }), fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { minLength: 1, maxLength: 40 }), (base, capFactor, draws) => {
        let i = 0;
        const b = new ReconnectBackoff(base, base * capFactor, () => draws[i]!);
        for (i = 0; i < draws.length; i++) {
          const ceiling = Math.min(base * capFactor, base * 2 ** i);
          const d = b.nextDelayMs();
          expect(d).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
          expect(d).toBeLessThan(ceiling + 1e-9);
          expect(d).toBe(Math.floor(ceiling / 2 + (draws[i]! * ceiling) / 2));
        }
      }),
    );
  });

  it('starts from the base again after a success', () => {
    const b = new ReconnectBackoff(100, 10_000, () => 0.999);
    for (let i = 0; i < 8; i++) b.nextDelayMs();
    expect(b.consecutiveFailures).toBe(8);
    b.reset();
    expect(b.nextDelayMs()).toBe(99);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => new ReconnectBackoff(0, 10)).toThrow(/baseMs/);
    expect(() => new ReconnectBackoff(100, 10)).toThrow(/baseMs/);
  });
});
