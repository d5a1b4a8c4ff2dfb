import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';
import { METRIC_PREFIX, labelNamesProblem, metricNameProblem, type MetricKind } from './metric-name.js';
import { liveHeapBytes } from './live-heap.js';

export { Registry } from 'prom-client';

export interface CreateMetricsOptions {
  /** Set as the `service` label on every metric of this registry. */
  service: string;
  /** Collect Node's default process/runtime metrics (prefixed "perpetua_"); default true. */
  defaultMetrics?: boolean;
}

/**
 * A registry of its own per service (never prom-client's global one), with
 * the default Node metrics (perpetua_process_cpu_seconds_total,
 * perpetua_nodejs_heap_size_used_bytes, ...) and `service="<name>"` on every series.
 */
export function createMetrics(opts: CreateMetricsOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: opts.service });
  if (opts.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
    // prom-client names these gauges "..._total", which Prometheus reserves for
    // counters (promtool flags them); the per-type gauges without the suffix
    // remain, and sum() over them gives the same number.
    for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(METRIC_PREFIX + name);
    liveHeapBytes(); // observe collections from now on
    new Gauge({
      name: `${METRIC_PREFIX}nodejs_heap_live_bytes`,
      help: 'V8 heap in use right after the last major GC (the live heap, without the garbage awaiting collection); 0 before the first',
      registers: [registry],
      collect() {
        this.set(liveHeapBytes() ?? 0);
      },
    });
  }
  return registry;
}

const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export class MetricNameError extends Error {
  override name = 'MetricNameError';
}

type Config<C> = Omit<C, 'registers'>;

/** A counter on `registry`; the name must follow the conventions (perpetua_..._total). */
export function createCounter<L extends string = string>(registry: Registry, config: Config<CounterConfiguration<L>>): Counter<L> {
  check('counter', config.name, config.labelNames);
  return new Counter<L>({ ...config, registers: [registry] });
}

/** A gauge on `registry`; the name must follow the conventions (perpetua_..., base units). */
export function createGauge<L extends string = string>(registry: Registry, config: Config<GaugeConfiguration<L>>): Gauge<L> {
  check('gauge', config.name, config.labelNames);
  return new Gauge<L>({ ...config, registers: [registry] });
}

/** A histogram on `registry`; durations in seconds (perpetua_..._seconds), sizes in bytes. */
export function createHistogram<L extends string = string>(
  registry: Registry,
  config: Config<HistogramConfiguration<L>>,
): Histogram<L> {
  check('histogram', config.name, config.labelNames);
  return new Histogram<L>({ ...config, registers: [registry] });
}

function check(kind: MetricKind, name: string, labelNames: readonly string[] | undefined): void {
  const problem = metricNameProblem(kind, name) ?? labelNamesProblem(kind, labelNames ?? []);
  if (problem !== undefined) throw new MetricNameError(problem);
}
