import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { PositionMessage, patterns, subjects, type Fill, type FundingPayment } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { waitUntil } from '@perpetua/testkit';
import { RiskService } from '../src/risk-service.js';

/** A router books funding into the store and says so on funding.*: risk re-reads the position, publishes it, counts it. */

const logger = createLogger({ service: 'risk-funding-test', level: 'silent' });
let bus: InProcessBus;
let risk: RiskService | undefined;

afterEach(async () => {
  await risk?.stop();
  await bus.close();
});

const fill = (id: string, side: 'buy' | 'sell'): Fill => ({
  fillId: id,
  venue: 'v1',
  account: 'a',
  symbol: 'BTC-PERP',
  clientOrderId: `c-${id}`,
  side,
  price: '100000',
  qty: '0.5',
  fee: '1',
  liquidity: 'maker',
  tsExchange: 1,
  tsReceived: 1,
});

const payment = (id: string, amount: string): FundingPayment => ({ paymentId: id, venue: 'v1', account: 'a', symbol: 'BTC-PERP', amount, tsExchange: 2 });

describe('risk: funding booked by a router', () => {
  it("publishes the position with its funding and counts it in the day's figure", async () => {
    bus = new InProcessBus();
    const store = new MemoryStateStore();
    const registry = new Registry();
    risk = new RiskService({ bus, store, limits: { maxPosition: '1', maxOrderSize: '1', maxDailyLoss: '1000' }, logger, registry });
    await risk.start();
    const positions: PositionMessage[] = [];
    bus.subscribe(patterns.allPositions, PositionMessage, (p) => void positions.push(p));

    // Open and close (flat: the day's figure needs no mark), then two payments booked by "the router".
    await bus.publishDurable('fills', subjects.fill('v1', 'BTC-PERP'), fill('f1', 'buy'), 'v1:f1');
    await bus.publishDurable('fills', subjects.fill('v1', 'BTC-PERP'), fill('f2', 'sell'), 'v1:f2');
    await waitUntil(() => positions.some((p) => p.fills === 2), 5_000, 'both fills booked');
    for (const [id, amount] of [['p1', '3.5'], ['p2', '-1']] as const) {
      await store.applyFunding('v1', 'a', 'BTC-PERP', amount, id, 2);
      bus.publish(subjects.funding('v1', 'a', 'BTC-PERP'), payment(id, amount));
    }
    await waitUntil(() => positions.at(-1)?.funding === '2.5', 5_000, 'the position published with its funding');
    expect(positions.at(-1)).toMatchObject({ qty: '0', fees: '2', funding: '2.5', fills: 2 });

    // realized 0 - fees 2 - funding 2.5, from a day that started at 0.
    const daily = async () => (await registry.getSingleMetric('perpetua_risk_daily_pnl')!.get()).values[0]?.value;
    await waitUntil(async () => (await daily()) === -4.5, 5_000, 'the daily figure counts funding');
  });
});
