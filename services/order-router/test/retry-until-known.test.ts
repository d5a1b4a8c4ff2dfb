import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { retryUntilKnown } from '../src/retry-until-known.js';

describe('retryUntilKnown', () => {
  it('asks until one query answers, pausing pauseMs × attempt between tries, at most `tries` times', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 500 }), async (tries, failures, pauseMs) => {
        const pauses: number[] = [];
        const errors: number[] = [];
        let calls = 0;
        const out = await retryUntilKnown(
          async () => {
            if (++calls <= failures) throw new Error(`down ${calls}`);
            return calls;
          },
          { tries, pauseMs, sleep: async (ms) => void pauses.push(ms), onError: (_err, attempt) => errors.push(attempt) },
        );
        const known = failures < tries;
        expect(out).toEqual(known ? { known: true, value: failures + 1 } : { known: false });
        expect(calls).toBe(Math.min(failures + 1, tries));
        expect(errors).toEqual(Array.from({ length: Math.min(failures, tries) }, (_, i) => i + 1));
        // No pause after the last try: a pause only comes before another query.
        expect(pauses).toEqual(Array.from({ length: Math.min(failures, tries - 1) }, (_, i) => pauseMs * (i + 1)));
      }),
    );
  });

  it('an answer of "not there" is known: undefined is the venue\'s word, not a failure', async () => {
    expect(await retryUntilKnown(async () => undefined, { sleep: async () => undefined })).toEqual({ known: true, value: undefined });
  });

  it('asks no more once stopped', async () => {
    let calls = 0;
    let stopped = false;
    const out = await retryUntilKnown(
      async () => {
        calls++;
        stopped = true;
        throw new Error('down');
      },
      { tries: 5, sleep: async () => undefined, stopped: () => stopped },
    );
    expect(out).toEqual({ known: false });
    expect(calls).toBe(1);
  });
});
