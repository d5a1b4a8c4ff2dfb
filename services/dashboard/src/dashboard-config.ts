import { z } from 'zod';
import { secret } from '@perpetua/config';

/** `dashboard:` in the configuration. */
export const DashboardConfig = z
  .object({
    /** Loopback by default; any other address needs `token`. */
    host: z.string().min(1).max(253).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8888),
    /** Access token for the API, the WebSocket and the login page; required off loopback. */
    token: secret(z.string().min(16, 'expected at least 16 characters').max(256)).optional(),
    /** How often live values are pushed to browsers. */
    pushIntervalMs: z.number().int().min(100).max(60_000).default(1000),
    /** A browser whose socket holds more unsent bytes than this is skipped until it drains (latest value wins). */
    maxBufferedBytes: z.number().int().min(16_384).max(64 * 1024 * 1024).default(1024 * 1024),
    /** Opportunity events, fills and audit entries kept in memory. */
    historySize: z.number().int().min(10).max(10_000).default(500),
    /** The YAML file the Configuration page edits when no --config is given. */
    configFile: z.string().min(1).default('perpetua.yaml'),
  })
  .strict();
export type DashboardConfig = z.infer<typeof DashboardConfig>;

export const DEFAULT_DASHBOARD_CONFIG: DashboardConfig = DashboardConfig.parse({});
