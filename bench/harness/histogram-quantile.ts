/**
 * Quantiles from a Prometheus histogram as its /metrics text shows it, the way PromQL's
 * histogram_quantile reads buckets: linear inside the bucket the rank falls in. Two scrapes give the
 * window between them (`bucketDelta`), so a figure covers just the seconds it names.
 */

/** Cumulative counts by upper bound (`le`), summed over every other label; +Inf included. */
export type Buckets = Map<number, number>;

export function parseHistogramBuckets(exposition: string, metric: string): Buckets {
  const out: Buckets = new Map();
  const prefix = `${metric}_bucket{`;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (le === undefined || !Number.isFinite(value)) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    out.set(bound, (out.get(bound) ?? 0) + value);
  }
  return out;
}

/** later − earlier, bucket by bucket: the observations made between two scrapes. */
export function bucketDelta(later: Buckets, earlier: Buckets): Buckets {
  const out: Buckets = new Map();
  for (const [le, n] of later) out.set(le, n - (earlier.get(le) ?? 0));
  return out;
}

export function observationCount(b: Buckets): number {
  return b.get(Infinity) ?? Math.max(0, ...b.values());
}

/** The q-quantile (0..1); undefined with no observations. A rank in +Inf answers the last finite bound. */
export function histogramQuantile(b: Buckets, q: number): number | undefined {
  const bounds = [...b.keys()].sort((x, y) => x - y);
  const total = observationCount(b);
  if (total <= 0) return undefined;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const le of bounds) {
    const count = b.get(le)!;
    if (count >= rank) {
      if (le === Infinity) return prevBound;
      const inBucket = count - prevCount;
      return inBucket <= 0 ? le : prevBound + ((le - prevBound) * (rank - prevCount)) / inBucket;
    }
    prevBound = le;
    prevCount = count;
  }
  return prevBound;
}
