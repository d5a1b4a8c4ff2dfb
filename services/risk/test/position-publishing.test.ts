import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { PositionMessage, RiskStateMessage, patterns, subjects, type Fill } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { waitUntil } from '@perpetua/testkit';
import { RiskService } from '../src/risk-service.js';

const logger = createLogger({ service: 'risk-test', level: 'silent' });
let bus: InProcessBus;
let risk: RiskService | undefined;

afterEach(async () => {
  await risk?.stop();
  await bus.close();
});

const fill = (venue: string, id: string, side: 'buy' | 'sell', qty: string): Fill => ({
  fillId: id,
  venue,
  account: 'a',
  symbol: 'BTC-PERP',
  clientOrderId: `c-${id}`,
  side,
  price: '100000',
  qty,
  fee: '1',
  liquidity: 'maker',
  tsExchange: 1,
  tsReceived: 1,
});

describe('risk: booked positions', () => {
  it('publishes each venue position on its own subject, and risk.state shows base units (0.5 BTC is 0.5)', async () => {
    bus = new InProcessBus();
    risk = new RiskService({ bus, store: new MemoryStateStore(), limits: { maxPosition: '1', maxOrderSize: '0.5' }, logger, registry: new Registry() });
    await risk.start();
    const positions: { subject: string; p: PositionMessage }[] = [];
    bus.subscribe(patterns.allPositions, PositionMessage, (p, subject) => void positions.push({ subject, p }));
    const states: RiskStateMessage[] = [];
    bus.subscribe(subjects.riskState(), RiskStateMessage, (s) => void states.push(s));

    await bus.publishDurable('fills', subjects.fill('v1', 'BTC-PERP'), fill('v1', 'f1', 'buy', '0.5'), 'v1:f1');
    await bus.publishDurable('fills', subjects.fill('v2', 'BTC-PERP'), fill('v2', 'f2', 'sell', '0.25'), 'v2:f2');
    await waitUntil(() => positions.length === 2, 5_000, 'two positions published');
    expect(positions.map((x) => [x.subject, x.p.qty]).sort()).toEqual([
      [subjects.position('v1', 'a', 'BTC-PERP'), '0.5'],
      [subjects.position('v2', 'a', 'BTC-PERP'), '-0.25'],
    ]);
    await waitUntil(() => states.some((s) => Object.keys(s.usage).length === 2), 5_000, 'risk.state with both positions');
    const usage = states.findLast((s) => Object.keys(s.usage).length === 2)!.usage;
    expect(usage).toEqual({ 'position:v1:a:BTC-PERP': 0.5, 'position:v2:a:BTC-PERP': -0.25 });
  });
});
