import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { memoryGrowth, type MemorySample } from './memory-growth.js';
import { soakOptions } from './soak-options.js';
import { textLineChart } from './text-line-chart.js';
import { svgLineChart } from './svg-line-chart.js';
import { rssTargetMb } from './rss-target.js';

/** Samples every 10 s for `minutes`, RSS and heap from the given functions of the second. */
const run = (minutes: number, rss: (t: number) => number, heap: (t: number) => number): MemorySample[] =>
  Array.from({ length: minutes * 6 + 1 }, (_, i) => ({ atSec: i * 10, rssMb: rss(i * 10), heapMb: heap(i * 10) }));

describe('memoryGrowth: the soak verdict', () => {
  it('compares the median of the minute from `from` with the median of the last minute', () => {
    // Flat at 200 MB after a start-up ramp; one spike in each window does not move a median.
    const s = run(20, (t) => (t < 120 ? 100 + t : t === 310 || t === 1190 ? 400 : 200), () => 80);
    const v = memoryGrowth(s, 300, 0.05);
    expect(v.rss).toEqual({ fromMb: 200, toMb: 200, growth: 0 });
    expect(v.met).toBe(true);
  });

  it('a linear growth of 4 MB a minute from 222 MB (the issue) misses', () => {
    const v = memoryGrowth(run(20, (t) => 222 + (4 * t) / 60, () => 80), 300, 0.05);
    expect(v.rss.growth).toBeGreaterThan(0.2);
    expect(v.met).toBe(false);
  });

  it('the heap alone growing misses too', () => {
    const v = memoryGrowth(run(20, () => 200, (t) => 80 + t / 60), 300, 0.05);
    expect(v.rss.growth).toBe(0);
    expect(v.met).toBe(false);
  });

  it('refuses a run too short to have two separate windows', () => {
    expect(() => memoryGrowth(run(6, () => 1, () => 1), 300, 0.05)).toThrow(/too short/);
    expect(() => memoryGrowth([], 300, 0.05)).toThrow(/no samples/);
  });

  it('property: a series that only falls never misses; one that ends 5% above where it was at `from` always does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 90 }), fc.double({ min: 10, max: 1000, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true }), (minutes, base, fall) => {
        const down = run(minutes, (t) => base * (1 - (fall * t) / (minutes * 60)), () => base);
        expect(memoryGrowth(down, 300, 0.05).met).toBe(true);
        const up = run(minutes, (t) => (t > minutes * 60 - 60 ? base * 1.06 : base), () => base);
        expect(memoryGrowth(up, 300, 0.05).met).toBe(false);
      }),
    );
  });
});

describe('soakOptions', () => {
  it('defaults to 20 minutes judged from minute 5, every 10 s', () => {
    expect(soakOptions([])).toEqual({ minutes: 20, fromMinute: 5, everySec: 10, writeDocs: false, stack: false });
    expect(soakOptions(['--stack', '--minutes', '30'])).toMatchObject({ minutes: 30, stack: true });
    expect(soakOptions(['--minutes', '60', '--write-docs'])).toMatchObject({ minutes: 60, writeDocs: true });
  });
  it('refuses what it cannot judge or does not know', () => {
    expect(() => soakOptions(['--minutes', '6'])).toThrow(/too short/);
    expect(() => soakOptions(['--minutes'])).toThrow(/positive number/);
    expect(() => soakOptions(['--soak'])).toThrow(/unknown argument/);
  });
});

describe('the plots', () => {
  it('text: one mark per column, the top and bottom values labelled', () => {
    const chart = textLineChart([0, 1, 2, 3].map((x) => ({ x, y: x * 10 })), { width: 4, height: 4, unit: 'MB' });
    expect(chart.split('\n')).toEqual(['30 MB |   *', '      |  * ', '      | *  ', ' 0 MB |*   ', '      +----']);
  });
  it('svg: a polyline per series, escaped names, no script', () => {
    const svg = svgLineChart([{ name: 'RSS <MB>', colour: '#000', points: [{ x: 0, y: 1 }, { x: 2, y: 3 }] }], { title: 't', xLabel: 'min', yLabel: 'MB' });
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg).toContain('RSS &lt;MB&gt;');
    expect(svg).not.toContain('<script');
  });
});

describe('rssTargetMb: the targets of issue #26 by stack process id', () => {
  it('80 MB a service, 120 MB a ccxt gateway, none for the simulator', () => {
    expect(rssTargetMb('gateway.bybit')).toBe(120);
    expect(rssTargetMb('gateway.binanceusdm#2')).toBe(120);
    expect(rssTargetMb('gateway.standx')).toBe(80);
    expect(rssTargetMb('order-router.binanceusdm')).toBe(80);
    expect(rssTargetMb('risk')).toBe(80);
    expect(rssTargetMb('sim')).toBeUndefined();
  });
});
