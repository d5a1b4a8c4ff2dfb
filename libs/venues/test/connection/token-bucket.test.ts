import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TokenBucket } from '../../src/connection/token-bucket.js';

/** A manual clock whose sleep advances time: the bucket's schedule, exactly. */
function clock() {
  const c = { t: 0, now: () => c.t, sleep: async (ms: number) => void (c.t += ms) };
  return c;
}

describe('TokenBucket', () => {
  it('lets a burst through at once, then one call per 1/rate seconds', async () => {
    const c = clock();
    const b = new TokenBucket({ ratePerSec: 10, burst: 3, now: c.now, sleep: c.sleep });
    const at: number[] = [];
    for (let i = 0; i < 6; i++) {
      await b.take();
      at.push(c.t);
    }
    expect(at.map((t) => Math.round(t))).toEqual([0, 0, 0, 100, 200, 300]);
    expect(b.waits).toBe(3);
  });

  it('never lets more than burst + rate x elapsed calls through (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 60 }), async (rate, burst, gaps) => {
        const c = clock();
        const b = new TokenBucket({ ratePerSec: rate, burst, now: c.now, sleep: c.sleep });
        const times: number[] = [];
        for (const gap of gaps) {
          c.t += gap;
          await b.take();
          times.push(c.t);
        }
        // In any window [times[i], times[j]], calls j - i + 1 <= burst + rate * span.
        for (let i = 0; i < times.length; i++)
          for (let j = i; j < times.length; j++) expect(j - i + 1).toBeLessThanOrEqual(burst + (rate * (times[j]! - times[i]!)) / 1000 + 1e-9);
      }),
      { numRuns: 100 },
    );
  });

  it('serves concurrent callers in order', async () => {
    const c = clock();
    const b = new TokenBucket({ ratePerSec: 5, burst: 1, now: c.now, sleep: c.sleep });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => b.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => new TokenBucket({ ratePerSec: 0, burst: 1 })).toThrow(/rate/);
    expect(() => new TokenBucket({ ratePerSec: 1, burst: 0 })).toThrow(/burst/);
  });
});
