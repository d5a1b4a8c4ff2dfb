import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { HaltReply, OrderCommand, RiskStateMessage, subjects, type QuoteIntent } from '@perpetua/core';
import { BusRemoteError, BusTimeoutError, InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { RiskService } from '../src/risk-service.js';

const logger = createLogger({ service: 'risk-test', level: 'silent' });
const limits = { maxPosition: '1', maxOrderSize: '0.5' };

let bus: InProcessBus;
let services: RiskService[] = [];

afterEach(async () => {
  for (const s of services) await s.stop();
  services = [];
  await bus.close();
});

async function startRisk(store: MemoryStateStore): Promise<RiskService> {
  const risk = new RiskService({ bus, store, limits, logger, registry: new Registry() });
  await risk.start();
  services.push(risk);
  return risk;
}

const intent = (n: number): QuoteIntent => ({
  intentId: `i${n}`,
  strategy: 'mm',
  venue: 'v',
  account: 'a',
  symbol: 'BTC-PERP',
  quotes: [
    { slot: 'bid-0', side: 'buy', price: '99', qty: '0.1', postOnly: true },
    { slot: 'ask-0', side: 'sell', price: '101', qty: '0.1', postOnly: true },
  ],
  bookSeq: n,
  mid: 100,
  ts: Date.now(),
});

/**
 * Waits until the in-process world is idle: every delivery done (flush), then every promise chain the handlers
 * started run out (a macrotask turn comes only once the microtask queue is empty), then anything those chains
 * published delivered too. Nothing here is a timer or I/O, so idle is a condition, not a guess at a duration.
 */
const settle = async () => {
  await bus.flush();
  await new Promise<void>((r) => setImmediate(r));
  await bus.flush();
};

describe('risk kill switch', () => {
  it('halts on request: risk.state says so at once, nothing is approved, and the halt is stored', async () => {
    bus = new InProcessBus();
    const store = new MemoryStateStore();
    await startRisk(store);
    const states: RiskStateMessage[] = [];
    const commands: OrderCommand[] = [];
    bus.subscribe(subjects.riskState(), RiskStateMessage, (s) => void states.push(s));
    bus.subscribe(subjects.orderCommand('v'), OrderCommand, (c) => void commands.push(c));

    bus.publish(subjects.quoteIntent('mm'), intent(1));
    await settle();
    expect(commands.at(-1)).toMatchObject({ type: 'set_quotes', quotes: [{ slot: 'bid-0' }, { slot: 'ask-0' }] });

    const reply = await bus.request(subjects.control('risk', 'kill'), { reason: 'fat finger', by: 'test' }, HaltReply);
    expect(reply).toMatchObject({ halted: true, reason: 'fat finger' });
    await settle();
    expect(states.at(-1)).toMatchObject({ halted: true, reason: 'fat finger' });
    expect(await store.getHalt()).toMatchObject({ halted: true, reason: 'fat finger' });

    bus.publish(subjects.quoteIntent('mm'), intent(2));
    await settle();
    expect(commands.at(-1)).toMatchObject({ type: 'set_quotes', quotes: [] });
  });

  it('survives a restart of risk, and only a reset lifts it', async () => {
    bus = new InProcessBus();
    const store = new MemoryStateStore();
    const first = await startRisk(store);
    await bus.request(subjects.control('risk', 'kill'), { reason: 'daily loss' }, HaltReply);
    await first.stop();
    services = [];
    await startRisk(store);
    expect(await bus.request(subjects.control('risk', 'status'), {}, HaltReply)).toMatchObject({ halted: true, reason: 'daily loss' });
    const reset = await bus.request(subjects.control('risk', 'reset'), { reason: 'checked, resuming' }, HaltReply);
    expect(reset).toEqual({ halted: false });
    expect((await store.getHalt()).halted).toBe(false);
  });

  it('refuses invalid control requests with a clear error and changes nothing', async () => {
    bus = new InProcessBus();
    const store = new MemoryStateStore();
    await startRisk(store);
    const bad: unknown[] = [{}, { reason: '' }, { reason: '   ' }, { reason: 42 }, { reason: 'x'.repeat(201) }, { reason: 'ok', extra: true }, 'kill', null, { reason: ['a'] }];
    for (const body of bad) {
      const err = await bus.request(subjects.control('risk', 'kill'), body, HaltReply).catch((e: unknown) => e);
      expect(err, JSON.stringify(body)).toBeInstanceOf(BusRemoteError);
      expect(String((err as Error).message)).toMatch(/invalid request/);
    }
    expect((await store.getHalt()).halted).toBe(false);
    // A verb nobody serves: no responders, at once.
    await expect(bus.request(subjects.control('risk', 'explode'), { reason: 'x' }, HaltReply, { timeoutMs: 1_000 })).rejects.toBeInstanceOf(BusTimeoutError);
    expect((await store.getHalt()).halted).toBe(false);
  });
});
