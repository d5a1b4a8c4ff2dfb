import { Counter, Gauge, type CounterConfiguration, type GaugeConfiguration, type Registry } from 'prom-client';

/**
 * A metric registered once per registry. Risk runs as leader and hot standby: a process that loses its lease and
 * wins it again builds a second RiskService on the same registry, and registering a metric twice throws, which
 * left that process failing every promotion (found by the chaos run: a nats-server restart made the leader lose
 * its lease, and risk never led again).
 */
export function counterOn<L extends string>(registry: Registry, config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing instanceof Counter) return existing as Counter<L>;
  return new Counter<L>({ ...config, registers: [registry] });
}

export function gaugeOn<L extends string>(registry: Registry, config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing instanceof Gauge) return existing as Gauge<L>;
  return new Gauge<L>({ ...config, registers: [registry] });
}
