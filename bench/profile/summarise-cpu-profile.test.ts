import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CpuProfile, formatSummary, originOf, summariseCpuProfile } from './summarise-cpu-profile.js';

const fixture = CpuProfile.parse(JSON.parse(readFileSync(new URL('./fixtures/tiny.cpuprofile', import.meta.url), 'utf8')));

describe('CPU profile summary', () => {
  it('attributes each sample the time until the next one, and shares the busy (non-idle) time', () => {
    const s = summariseCpuProfile(fixture, '/repo');
    // 9 samples, the last has no successor: 8 x 100 µs, of which (idle) ran 200 µs; applyDelta 3 samples.
    expect(s.totalMs).toBeCloseTo(0.8);
    expect(s.busyMs).toBeCloseTo(0.6);
    expect(s.functions.map((f) => [f.label, f.ms, Number(f.share.toFixed(4))])).toEqual([
      ['applyDelta (libs/book/src/l2-book.ts:42:3)', 0.3, 0.5],
      ['(garbage collector)', 0.1, 0.1667],
      ['parse (zod/v4/core/parse.js:10:1)', 0.1, 0.1667],
      ['(anonymous) (libs/book/src/l2-book.ts:100:5)', 0.1, 0.1667],
    ]);
    expect(s.origins.map((o) => [o.label, o.ms])).toEqual([
      ['libs/book', 0.4],
      ['v8', 0.1],
      ['zod', 0.1],
    ]);
  });

  it('counts only the samples inside a call to the named function when asked', () => {
    const s = summariseCpuProfile(fixture, '/repo', 'applyDelta');
    expect(s.busyMs).toBeCloseTo(0.4);
    expect(s.functions.map((f) => f.label)).toEqual(['applyDelta (libs/book/src/l2-book.ts:42:3)', '(anonymous) (libs/book/src/l2-book.ts:100:5)']);
  });

  it('names where code lives: a package, a workspace folder, node internals or V8', () => {
    expect(originOf('file:///repo/node_modules/@nats-io/nats-core/lib/x.js', 'f', '/repo')).toBe('@nats-io/nats-core');
    expect(originOf('file:///repo/services/gateway/src/gateway-service.ts', 'onBook', '/repo')).toBe('services/gateway');
    expect(originOf('node:internal/streams/readable', 'read', '/repo')).toBe('node');
    expect(originOf('', '(program)', '/repo')).toBe('v8');
  });

  it('formats the top functions with their share', () => {
    const text = formatSummary(summariseCpuProfile(fixture, '/repo'), 2);
    expect(text).toContain(' 50.0%       0.3 ms  applyDelta (libs/book/src/l2-book.ts:42:3)');
    expect(text).toContain('busy 0.6 ms of 0.8 ms sampled (75.0%)');
    expect(text.split('\n').filter((l) => l.includes('%')).length).toBe(1 + 2 + 2); // the busy line, 2 functions, 2 origins
  });
});
