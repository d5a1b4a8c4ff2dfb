import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
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
  const discarded = new Counter({
    name: 'perpetua_bus_stream_discarded_total',
    help: "Durable messages the in-process bus's stream limit discarded before a consumer handled them",
    labelNames: ['stream'] as const,
    registers: [registry],
  });
  const bus = new InProcessBus({
    onInvalid: (i) => logger.warn({ subject: i.subject, error: i.error }, 'invalid message dropped'),
    onHandlerError: (subject, err) => logger.error({ subject, err }, 'handler failed'),
    onStreamDiscard: (stream, undelivered) => {
      discarded.inc({ stream }, undelivered);
      logger.error({ stream, undelivered }, 'durable stream limit discarded messages a consumer had not handled');
    },
  });
  new Gauge({
    name: 'perpetua_bus_stream_messages',
    help: 'Messages the in-process bus keeps per durable stream (bounded by its limit)',
    labelNames: ['stream'] as const,
    registers: [registry],
    collect() {
      for (const s of bus.streamStats()) this.set({ stream: s.stream }, s.messages);
    },
  });
  return { logger, registry, bus, store: new MemoryStateStore() };
}
