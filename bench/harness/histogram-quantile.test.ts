import { describe, expect, it } from 'vitest';
import { bucketDelta, histogramQuantile, observationCount, parseHistogramBuckets } from './histogram-quantile.js';

const text = (counts: [string, number][], strategy = 'a') => counts.map(([le, n]) => `m_bucket{le="${le}",strategy="${strategy}"} ${n}`).join('\n');

describe('histogram quantiles from /metrics text', () => {
  it('sums the series of every label set by bound', () => {
    const b = parseHistogramBuckets(`# HELP m x\n${text([['0.1', 1], ['1', 2], ['+Inf', 2]])}\n${text([['0.1', 3], ['1', 3], ['+Inf', 4]], 'b')}\nm_count 6`, 'm');
    expect([...b.entries()]).toEqual([[0.1, 4], [1, 5], [Infinity, 6]]);
  });

  it('interpolates inside the bucket the rank falls in, as histogram_quantile does', () => {
    const b = parseHistogramBuckets(text([['1', 0], ['2', 100], ['+Inf', 100]]), 'm');
    expect(histogramQuantile(b, 0.5)).toBeCloseTo(1.5);
    expect(histogramQuantile(b, 0.99)).toBeCloseTo(1.99);
  });

  it('answers the last finite bound for a rank in +Inf, and nothing for no observations', () => {
    expect(histogramQuantile(parseHistogramBuckets(text([['1', 1], ['+Inf', 10]]), 'm'), 0.99)).toBe(1);
    expect(histogramQuantile(parseHistogramBuckets(text([['1', 0], ['+Inf', 0]]), 'm'), 0.99)).toBeUndefined();
  });

  it('takes the window between two scrapes', () => {
    const before = parseHistogramBuckets(text([['1', 5], ['2', 5], ['+Inf', 5]]), 'm');
    const after = parseHistogramBuckets(text([['1', 5], ['2', 15], ['+Inf', 15]]), 'm');
    const d = bucketDelta(after, before);
    expect(observationCount(d)).toBe(10);
    expect(histogramQuantile(d, 0.5)).toBeCloseTo(1.5);
  });
});
