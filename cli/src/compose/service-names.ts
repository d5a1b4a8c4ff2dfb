/** The services `perpetua service <name>` can run, one per process. */
export const SERVICE_NAMES = ['gateway', 'quoter', 'risk', 'order-router', 'arb-detector', 'dashboard'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}
