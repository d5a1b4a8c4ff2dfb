/** The services `perpetua service <name>` can run, one per process. */
export const SERVICE_NAMES = ['gateway', 'quoter', 'risk', 'order-router', 'arb-detector', 'dashboard'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/**
 * Every service a deployment runs, in start order: the one list behind
 * `perpetua stack` (and mirrored by docker-compose.yml and k8s/, which tests
 * check against it). A name here that `perpetua service` does not know is
 * skipped by the stack and reported as skipped, never an error.
 */
export const DEPLOYED_SERVICES = ['gateway', 'risk', 'order-router', 'quoter', 'arb-detector', 'dashboard'] as const;
export type DeployedService = (typeof DEPLOYED_SERVICES)[number];

/** How many of a service a deployment runs: one per venue (gateway), one per trading venue (router), or one. */
export const SERVICE_PLACEMENT: Record<DeployedService, 'per-venue' | 'per-trading-venue' | 'single'> = {
  gateway: 'per-venue',
  risk: 'single',
  'order-router': 'per-trading-venue',
  quoter: 'single',
  'arb-detector': 'single',
  dashboard: 'single',
};
