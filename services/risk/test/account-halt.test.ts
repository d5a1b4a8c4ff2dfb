import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { OrderCommand, RiskStateMessage, routerReconcileSubject, subjects, type QuoteIntent, type RouterReconcileReport } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { waitUntil } from '@perpetua/testkit';
import { RiskService } from '../src/risk-service.js';

const logger = createLogger({ service: 'risk-account-halt-test', level: 'silent' });

let bus: InProcessBus;
let risk: RiskService | undefined;
afterEach(async () => {
  await risk?.stop();
  risk = undefined;
  await bus.close();
});

const intent = (n: number, account: string): QuoteIntent => ({
  intentId: `i${n}`,
  strategy: `mm-${account}`,
  venue: 'v',
  account,
  symbol: 'BTC-PERP',
  quotes: [{ slot: 'bid-0', side: 'buy', price: '99', qty: '0.1', postOnly: true }],
  bookSeq: n,
  mid: 100,
  ts: Date.now(),
});

const report = (account: string, halt?: { reason: string; since: number }): RouterReconcileReport => ({
  venue: 'v', account, trigger: 'timer', orphansCancelled: 0, ordersLoaded: 0, ordersClosedUnseen: 0, fillsListed: 0, fillsAdopted: 0,
  positionDifferences: [], errors: [], ...(halt ? { halt } : {}), ts: Date.now(),
});

describe('risk and an account halted by its router', () => {
  it("shows the halt on risk.state at once, refuses that account's quotes only, and drops it when the router lifts it", async () => {
    bus = new InProcessBus();
    risk = new RiskService({ bus, store: new MemoryStateStore(), limits: { maxPosition: '1', maxOrderSize: '0.5' }, logger, registry: new Registry() });
    await risk.start();
    const states: RiskStateMessage[] = [];
    const commands: OrderCommand[] = [];
    bus.subscribe(subjects.riskState(), RiskStateMessage, (s) => void states.push(s));
    bus.subscribe(subjects.orderCommand('v'), OrderCommand, (c) => void commands.push(c));

    bus.publish(routerReconcileSubject('v'), report('a', { reason: 'position difference beyond tolerance 0.01: BTC-PERP', since: 5 }));
    await waitUntil(() => states.some((s) => s.accountHalts !== undefined), 1_000, 'the halt on risk.state');
    expect(states.at(-1)).toMatchObject({ halted: false, accountHalts: [{ venue: 'v', account: 'a', reason: 'position difference beyond tolerance 0.01: BTC-PERP', since: 5 }] });

    bus.publish(subjects.quoteIntent('mm-a'), intent(1, 'a'));
    bus.publish(subjects.quoteIntent('mm-b'), intent(2, 'b'));
    await waitUntil(() => commands.length === 2, 1_000, 'both intents answered');
    const byAccount = new Map(commands.map((c) => [c.account, c]));
    expect(byAccount.get('a')).toMatchObject({ type: 'set_quotes', quotes: [] });
    expect(byAccount.get('b')).toMatchObject({ type: 'set_quotes', quotes: [{ slot: 'bid-0' }] });

    const seen = states.length;
    bus.publish(routerReconcileSubject('v'), report('a'));
    await waitUntil(() => states.length > seen && states.at(-1)!.accountHalts === undefined, 1_000, 'the halt dropped');
  });
});
