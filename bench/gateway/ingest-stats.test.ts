import { describe, expect, it } from 'vitest';
import { coresBusy, cpuMicrosPerMessage, framesInRate, ingestRate, outRate, type IngestWindow } from './ingest-stats.js';

const w = (over: Partial<IngestWindow>): IngestWindow => ({
  startMs: 1_000,
  endMs: 2_000,
  out: 500,
  lastOutMs: 1_990,
  framesIn: 10_000,
  bookFramesIn: 6_000,
  cpuNs: 250e6,
  cpuReadMs: 2_500,
  ...over,
});

describe('gateway ingest window arithmetic', () => {
  it('rates over the window for a consumer that kept up', () => {
    expect(ingestRate(w({}))).toBe(10_000);
    expect(outRate(w({}))).toBe(500);
    expect(framesInRate(w({}))).toBe(10_000);
  });

  it('counts the drain of a backlog in the rates of a consumer that fell behind', () => {
    expect(ingestRate(w({ lastOutMs: 3_000 }))).toBe(5_000);
    expect(outRate(w({ lastOutMs: 3_000 }))).toBe(250);
    expect(framesInRate(w({ lastOutMs: 3_000 }))).toBe(10_000);
  });

  it('CPU per message sent and cores busy until drained', () => {
    expect(cpuMicrosPerMessage(w({}))).toBe(25);
    expect(cpuMicrosPerMessage(w({ framesIn: 0 }))).toBeNaN();
    // 250 ms of CPU from the start to the read 1.5 s later.
    expect(coresBusy(w({}))).toBeCloseTo(1 / 6, 10);
  });
});
