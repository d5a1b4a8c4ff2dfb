import type { Logger } from 'pino';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger, createMetrics } from '@perpetua/telemetry';
import type { PerpetuaConfig } from '../perpetua-config.js';

/** What the one-process commands (`start`, `mm`) run their services on: logs, metrics, the in-process bus, memory state. */
export interface InProcessRuntime {
  logger: Logger;
  registry: ReturnType<typeof createMetrics>;
  bus: InProcessBus;
  store: MemoryStateStore;
}

export function createInProcessRuntime(config: PerpetuaConfig, service: string): InProcessRuntime {
  const logger = createLogger({ service, level: config.telemetry.logLevel, destination: process.stderr });
  const registry = createMetrics({ service });
  const bus = new InProcessBus({
    onInvalid: (i) => logger.warn({ subject: i.subject, error: i.error }, 'invalid message dropped'),
    onHandlerError: (subject, err) => logger.error({ subject, err }, 'handler failed'),
  });
  return { logger, registry, bus, store: new MemoryStateStore() };
}
