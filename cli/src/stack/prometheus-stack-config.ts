export interface ScrapeTarget {
  /** Prometheus job: the service name (gateway, risk, ...) or `sim`, as in deploy/prometheus/prometheus.yml. */
  job: string;
  /** host:port */
  address: string;
  labels: Record<string, string>;
}

/**
 * The stack's Prometheus configuration: the same jobs and alert rules as
 * deploy/prometheus/prometheus.yml, with the processes' loopback ports as
 * static targets. JSON is YAML, so no YAML writer is needed.
 */
export function prometheusStackConfig(targets: readonly ScrapeTarget[], ruleFiles: readonly string[], scrapeIntervalSec = 5): string {
  const jobs = new Map<string, ScrapeTarget[]>();
  for (const t of targets) jobs.set(t.job, [...(jobs.get(t.job) ?? []), t]);
  return JSON.stringify(
    {
      global: { scrape_interval: `${scrapeIntervalSec}s`, evaluation_interval: `${scrapeIntervalSec}s`, external_labels: { deployment: 'stack' } },
      rule_files: ruleFiles,
      scrape_configs: [...jobs].map(([job, list]) => ({
        job_name: job,
        static_configs: list.map((t) => ({ targets: [t.address], labels: t.labels })),
      })),
    },
    null,
    2,
  );
}
