import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { Instrument, OrderEvent, subjects } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { PaperTradingVenue } from '@perpetua/venues';
import { constantLatency } from '@perpetua/fills';
import { waitUntil } from '@perpetua/testkit';
import { OrderRouterService } from '../src/order-router-service.js';
import { setQuotes, twoSided } from './set-quotes-command.js';

const logger = createLogger({ service: 'router-test', level: 'silent' });
const BTC = Instrument.parse({ venue: 'v', symbol: 'BTC-PERP', venueSymbol: 'BTC', base: 'BTC', quote: 'USD', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', makerFee: 0, takerFee: 0 });

let bus: InProcessBus;
let router: OrderRouterService | undefined;
afterEach(async () => {
  await router?.stop();
  await bus.close();
});

describe('order router make-before-break', () => {
  it('a quote moved to its slot’s twin is placed before the old slot’s order is cancelled: the side is never empty', async () => {
    bus = new InProcessBus();
    // A place takes longer than a cancel (as on a venue under load): a cancel sent beside the place would land first.
    const venue = new PaperTradingVenue('v', 'a', [BTC], { latency: constantLatency({ entryMs: 150, cancelMs: 0 }) });
    venue.onBook('BTC-PERP', [[99.5, 1]], [[100.5, 1]]);
    router = new OrderRouterService({ bus, adapter: venue, store: new MemoryStateStore(), logger, registry: new Registry() });
    await router.start();
    const events: OrderEvent[] = [];
    bus.subscribe(subjects.orderEvent('v'), OrderEvent, (e) => void events.push(e));

    bus.publish(subjects.orderCommand('v'), setQuotes({ venue: 'v', account: 'a' }, twoSided('99', '101')));
    await waitUntil(async () => (await venue.openOrders()).length === 2, 2_000, 'both quotes resting', 5);
    const [bid, ask] = twoSided('99.1', '101');
    bus.publish(subjects.orderCommand('v'), setQuotes({ venue: 'v', account: 'a' }, [{ ...bid!, slot: 'bid-0-r' }, ask!]));
    const placed = () => events.findIndex((e) => e.slot === 'bid-0-r' && e.status === 'new');
    const cancelled = () => events.findIndex((e) => e.slot === 'bid-0' && e.status === 'canceled');
    await waitUntil(() => placed() >= 0 && cancelled() >= 0, 2_000, 'the new bid placed and the old one cancelled', 5);
    expect(cancelled()).toBeGreaterThan(placed());
    expect((await venue.openOrders()).map((o) => o.price).sort()).toEqual(['101', '99.1']);
  });
});
