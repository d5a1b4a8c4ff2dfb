/**
 * Prometheus naming conventions, checked when a metric is created so a bad
 * name fails in a unit test instead of in a dashboard months later.
 * https://prometheus.io/docs/practices/naming/
 */

export type MetricKind = 'counter' | 'gauge' | 'histogram' | 'summary';

export const METRIC_PREFIX = 'perpetua_';

/** Labels every metric gets from the registry; a metric may not declare them itself. */
export const RESERVED_LABELS: readonly string[] = ['service'];

/** Non-base units and what to use instead (Prometheus wants seconds, bytes, ratios). */
const NON_BASE_UNITS = new Map<string, string>([
  ['ms', 'seconds'],
  ['millis', 'seconds'],
  ['milliseconds', 'seconds'],
  ['us', 'seconds'],
  ['micros', 'seconds'],
  ['microseconds', 'seconds'],
  ['ns', 'seconds'],
  ['nanoseconds', 'seconds'],
  ['minutes', 'seconds'],
  ['hours', 'seconds'],
  ['days', 'seconds'],
  ['kb', 'bytes'],
  ['kilobytes', 'bytes'],
  ['mb', 'bytes'],
  ['megabytes', 'bytes'],
  ['gb', 'bytes'],
  ['gigabytes', 'bytes'],
  ['percent', 'ratio'],
  ['pct', 'ratio'],
]);

/** Returns what is wrong with a metric name, or undefined when it is fine. */
export function metricNameProblem(kind: MetricKind, name: string): string | undefined {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) return `metric name "${name}" must be lower snake_case`;
  if (!name.startsWith(METRIC_PREFIX)) return `metric name "${name}" must start with "${METRIC_PREFIX}"`;
  if (name.includes('__')) return `metric name "${name}" must not contain "__"`;
  if (kind === 'counter' && !name.endsWith('_total')) return `counter "${name}" must end with "_total"`;
  if (kind !== 'counter' && name.endsWith('_total')) return `${kind} "${name}" must not end with "_total" (reserved for counters)`;
  if ((kind === 'histogram' || kind === 'summary') && /_(bucket|count|sum)$/.test(name)) {
    return `${kind} "${name}" must not end with _bucket, _count or _sum (Prometheus adds them)`;
  }
  for (const word of name.split('_')) {
    const base = NON_BASE_UNITS.get(word);
    if (base !== undefined) return `metric name "${name}" uses unit "${word}": use base unit "${base}"`;
  }
  return undefined;
}

/** Returns what is wrong with a metric's label names, or undefined when they are fine. */
export function labelNamesProblem(kind: MetricKind, labelNames: readonly string[]): string | undefined {
  for (const label of labelNames) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) return `label name "${label}" is not a valid Prometheus label name`;
    if (label.startsWith('__')) return `label name "${label}" is reserved (starts with "__")`;
    if (RESERVED_LABELS.includes(label)) return `label name "${label}" is set by the registry for every metric`;
    if (kind === 'histogram' && label === 'le') return 'label name "le" is reserved for histogram buckets';
    if (kind === 'summary' && label === 'quantile') return 'label name "quantile" is reserved for summaries';
  }
  return undefined;
}
