import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { Instrument, subjects, type RiskStateMessage, type SetQuotesCommand } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { PaperTradingVenue } from '@perpetua/venues';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { OrderRouterService } from '../src/order-router-service.js';
import { setQuotes, twoSided } from './set-quotes-command.js';

const logger = createLogger({ service: 'router-test', level: 'silent' });
const BTC = Instrument.parse({ venue: 'v', symbol: 'BTC-PERP', venueSymbol: 'BTC', base: 'BTC', quote: 'USD', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', makerFee: 0, takerFee: 0 });

let bus: InProcessBus;
let routers: OrderRouterService[] = [];

afterEach(async () => {
  for (const r of routers) await r.stop();
  routers = [];
  await bus.close();
});

async function startRouter(store: MemoryStateStore, venue: PaperTradingVenue): Promise<OrderRouterService> {
  const r = new OrderRouterService({ bus, adapter: venue, store, logger, registry: new Registry() });
  await r.start();
  routers.push(r);
  return r;
}

const quotes = (bid: string, ask: string): SetQuotesCommand => setQuotes({ venue: 'v', account: 'a' }, twoSided(bid, ask));
const riskState = (halted: boolean): RiskStateMessage => ({ halted, reason: halted ? 'test kill' : undefined, limits: {}, usage: {}, rejects: {}, ts: Date.now() });

describe('order router and the kill switch', () => {
  it('cancels every resting order as soon as risk.state says halted, ignores quote sets while halted, and resumes after', async () => {
    bus = new InProcessBus();
    const venue = new PaperTradingVenue('v', 'a', [BTC]);
    venue.onBook('BTC-PERP', [[99.5, 1]], [[100.5, 1]]);
    const router = await startRouter(new MemoryStateStore(), venue);
    bus.publish(subjects.orderCommand('v'), quotes('99', '101'));
    await waitUntil(async () => (await venue.openOrders()).length === 2, 2_000, 'two resting quotes', 5);

    bus.publish(subjects.riskState(), riskState(true));
    // The bound is the claim (cancelled within a second): waitUntil fails past it.
    await waitUntil(async () => (await venue.openOrders()).length === 0, 1_000, 'all orders cancelled', 5);
    expect(router.isHalted).toBe(true);

    bus.publish(subjects.orderCommand('v'), quotes('98', '102'));
    await holdsFor(async () => (await venue.openOrders()).length === 0, 100, 'nothing placed while halted', 5);

    bus.publish(subjects.riskState(), riskState(false));
    await bus.flush();
    bus.publish(subjects.orderCommand('v'), quotes('98', '102'));
    await waitUntil(async () => (await venue.openOrders()).length === 2, 2_000, 'quotes again after the reset', 5);
  });

  it('a router started while the halt is stored starts halted and places nothing', async () => {
    bus = new InProcessBus();
    const store = new MemoryStateStore();
    await store.setHalt({ halted: true, reason: 'kill before restart', since: Date.now() });
    const venue = new PaperTradingVenue('v', 'a', [BTC]);
    venue.onBook('BTC-PERP', [[99.5, 1]], [[100.5, 1]]);
    const router = await startRouter(store, venue);
    expect(router.isHalted).toBe(true);
    bus.publish(subjects.orderCommand('v'), quotes('99', '101'));
    await holdsFor(async () => (await venue.openOrders()).length === 0, 100, 'nothing placed while halted', 5);
  });
});
