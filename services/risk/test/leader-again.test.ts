import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { HaltReply, subjects } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { RiskService } from '../src/risk-service.js';

/**
 * A risk process that loses its lease and wins it again builds a second RiskService on its one metrics registry
 * (found by the chaos run: after a nats-server restart the old leader failed every promotion with "A metric with
 * the name perpetua_risk_rejects_total has already been registered", and no risk led again).
 */
const logger = createLogger({ service: 'risk-test', level: 'silent' });
const limits = { maxPosition: '1', maxOrderSize: '0.5' };
let bus: InProcessBus;

afterEach(async () => {
  await bus.close();
});

describe('risk led again in the same process', () => {
  it('a second term on the same registry starts, serves and exports its metrics once', async () => {
    bus = new InProcessBus();
    const registry = new Registry();
    const store = new MemoryStateStore();
    const first = new RiskService({ bus, store, limits, logger, registry });
    await first.start();
    await first.stop();
    const second = new RiskService({ bus, store, limits, logger, registry });
    await second.start();
    const reply = await bus.request(subjects.control('risk', 'status'), {}, HaltReply, { timeoutMs: 2_000 });
    expect(reply.halted).toBe(false);
    const text = await registry.metrics();
    expect(text.match(/^# TYPE perpetua_risk_rejects_total /gm)).toHaveLength(1);
    expect(text.match(/^# TYPE perpetua_risk_position /gm)).toHaveLength(1);
    await second.stop();
  });
});
