import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { Instrument, subjects, type SetQuotesCommand } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { PaperTradingVenue } from '@perpetua/venues';
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

const set = (strategy: string, bid: string, ask: string): SetQuotesCommand => setQuotes({ venue: 'v', account: 'a', strategy }, twoSided(bid, ask));

describe('order router quote books', () => {
  it('two strategies quoting one symbol keep their own orders: one strategy’s new set leaves the other’s alone', async () => {
    bus = new InProcessBus();
    const venue = new PaperTradingVenue('v', 'a', [BTC]);
    venue.onBook('BTC-PERP', [[99.5, 1]], [[100.5, 1]]);
    router = new OrderRouterService({ bus, adapter: venue, store: new MemoryStateStore(), logger, registry: new Registry() });
    await router.start();
    const prices = async () => (await venue.openOrders()).map((o) => o.price).sort();

    bus.publish(subjects.orderCommand('v'), set('mm-a', '99', '101'));
    bus.publish(subjects.orderCommand('v'), set('mm-b', '98', '102'));
    await waitUntil(async () => (await venue.openOrders()).length === 4, 2_000, 'four resting quotes', 5);

    bus.publish(subjects.orderCommand('v'), set('mm-a', '99.1', '100.9'));
    await waitUntil(async () => JSON.stringify(await prices()) === JSON.stringify(['100.9', '102', '98', '99.1']), 2_000, 'mm-a requoted, mm-b untouched', 5);

    // A cancel-all for the symbol clears both books; each strategy's next set places again.
    bus.publish(subjects.orderCommand('v'), { type: 'cancel_all', commandId: 'ca1', venue: 'v', account: 'a', symbol: 'BTC-PERP', reason: 'test', ts: Date.now() });
    await waitUntil(async () => (await venue.openOrders()).length === 0, 2_000, 'no orders after cancel-all', 5);
    bus.publish(subjects.orderCommand('v'), set('mm-b', '98', '102'));
    await waitUntil(async () => JSON.stringify(await prices()) === JSON.stringify(['102', '98']), 2_000, 'mm-b quoting again', 5);
  });
});
