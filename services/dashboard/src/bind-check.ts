import type { DashboardConfig } from './dashboard-config.js';
import { isLoopbackHost } from './access-guard.js';

/** Why the dashboard must not start with this configuration, or undefined when it may. */
export function dashboardBindProblem(config: DashboardConfig): string | undefined {
  if (isLoopbackHost(config.host) || config.token !== undefined) return undefined;
  return `dashboard.host is ${config.host}, not loopback: set dashboard.token (PERPETUA_DASHBOARD__TOKEN, at least 16 characters) before exposing the dashboard`;
}
