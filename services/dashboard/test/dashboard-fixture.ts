import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { InProcessBus } from '@perpetua/bus';
import { createLogger, createMetrics } from '@perpetua/telemetry';
import { DashboardConfig, startDashboard, type RunningDashboard } from '../src/index.js';

/** A venue entry schema shaped like the real registry's (strict, secret-named keys). */
export const TestVenueSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ccxt'), exchange: z.string().regex(/^[a-z0-9]{2,32}$/), apiKey: z.string().min(1).optional(), secret: z.string().min(1).optional(), testnet: z.boolean().default(false) }),
  z.strictObject({ kind: z.literal('grvt'), env: z.enum(['prod', 'testnet']).default('prod'), apiKey: z.string().min(1).optional() }),
]);
export const TestStrategySchema = z.strictObject({ id: z.string(), venue: z.string().optional(), symbol: z.string().optional(), params: z.record(z.string(), z.unknown()).optional() });

export interface Fixture {
  dashboard: RunningDashboard;
  bus: InProcessBus;
  file: string;
  logs: () => string;
  close(): Promise<void>;
}

/** The dashboard in this process on an in-process bus, editing a temporary config file. */
export async function startFixture(config: Partial<DashboardConfig> = {}, initialYaml = 'venues:\n  binanceusdm:\n    kind: ccxt\n    exchange: binanceusdm\n    apiKey: AKIAEXISTINGKEY0123456789abcdef\n'): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'perpetua-dash-'));
  const file = join(dir, 'perpetua.yaml');
  writeFileSync(file, initialYaml, { mode: 0o600 });
  let logText = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logText += chunk.toString();
      cb();
    },
  });
  const bus = new InProcessBus();
  const logger = createLogger({ service: 'dashboard-test', level: 'info', destination: sink });
  const dashboard = await startDashboard({
    config: DashboardConfig.parse({ port: 0, ...config }),
    bus,
    logger,
    registry: createMetrics({ service: 'dashboard-test', defaultMetrics: false }),
    configFile: {
      path: file,
      validate: (doc) => {
        const r = z.strictObject({ venues: z.record(z.string(), TestVenueSchema).optional(), strategy: TestStrategySchema.optional(), strategies: z.array(TestStrategySchema).optional() }).safeParse(doc);
        return r.success ? [] : r.error.issues.map((i) => i.message);
      },
    },
    venueSchema: TestVenueSchema,
    strategySchema: TestStrategySchema,
  });
  return {
    dashboard,
    bus,
    file,
    logs: () => logText,
    async close() {
      await dashboard.close();
      await bus.close();
    },
  };
}
