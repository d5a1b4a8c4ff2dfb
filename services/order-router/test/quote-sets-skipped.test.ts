import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { Instrument, QuoteSetTakenMessage, patterns, subjects, type SetQuotesCommand } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { PaperTradingVenue } from '@perpetua/venues';
import { waitUntil } from '@perpetua/testkit';
import { OrderRouterService } from '../src/order-router-service.js';
import { setQuotes, twoSided } from './set-quotes-command.js';

/**
 * The router works only the newest pending set of a quote book: sets it replaced before working them never
 * get an order event, so it names them when it takes the next one (router.quotes.taken.<venue>) and risk
 * stops counting their approvals as in flight.
 */
const logger = createLogger({ service: 'router-skipped-test', level: 'silent' });
const BTC = Instrument.parse({ venue: 'v', symbol: 'BTC-PERP', venueSymbol: 'BTC', base: 'BTC', quote: 'USD', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', makerFee: 0, takerFee: 0 });

let bus: InProcessBus;
let router: OrderRouterService | undefined;
let release: (() => void) | undefined;
afterEach(async () => {
  release?.();
  await router?.stop();
  await bus.close();
});

const set = (bid: string, ask: string): SetQuotesCommand => setQuotes({ venue: 'v', account: 'a' }, twoSided(bid, ask));

/** A paper venue whose places wait at a gate while it is closed: the router's worker stays busy with one set. */
function gatedVenue(): { venue: PaperTradingVenue; close: () => void; open: () => void; waiting: () => number } {
  const venue = new PaperTradingVenue('v', 'a', [BTC]);
  venue.onBook('BTC-PERP', [[99.5, 1]], [[100.5, 1]]);
  const place = venue.placeOrder.bind(venue);
  let gate: Promise<void> | undefined;
  let waiting = 0;
  venue.placeOrder = async (request) => {
    if (gate) {
      waiting++;
      await gate;
      waiting--;
    }
    return place(request);
  };
  return {
    venue,
    close: () => {
      gate = new Promise((r) => (release = r));
    },
    open: () => {
      gate = undefined;
      release?.();
    },
    waiting: () => waiting,
  };
}

async function startRouter(venue: PaperTradingVenue): Promise<QuoteSetTakenMessage[]> {
  bus = new InProcessBus();
  const taken: QuoteSetTakenMessage[] = [];
  bus.subscribe(patterns.allQuoteSetsTaken, QuoteSetTakenMessage, (m) => void taken.push(m));
  router = new OrderRouterService({ bus, adapter: venue, store: new MemoryStateStore(), logger, registry: new Registry() });
  await router.start();
  return taken;
}

describe('order router: quote sets it skipped', () => {
  it('names the pending sets a newer one replaced before they were worked, when it takes the newer one', async () => {
    const g = gatedVenue();
    const taken = await startRouter(g.venue);
    g.close();
    const first = set('99', '101');
    bus.publish(subjects.orderCommand('v'), first);
    await waitUntil(() => g.waiting() === 2, 2_000, 'the first set being placed', 5);
    const replaced = [set('98.9', '101.1'), set('98.8', '101.2')];
    const newest = set('98.7', '101.3');
    for (const cmd of [...replaced, newest]) bus.publish(subjects.orderCommand('v'), cmd);
    await waitUntil(() => taken.length === 1, 2_000, 'the first set reported taken', 5);
    g.open();
    await waitUntil(async () => JSON.stringify((await g.venue.openOrders()).map((o) => o.price).sort()) === JSON.stringify(['101.3', '98.7']), 2_000, 'the newest set resting', 5);
    await waitUntil(() => taken.length === 2, 2_000, 'the newest set reported taken', 5);

    expect(taken[0]).toMatchObject({ venue: 'v', account: 'a', strategy: 'mm', symbol: 'BTC-PERP', intentId: first.intentId, skipped: [] });
    expect(taken[1]).toMatchObject({ intentId: newest.intentId, skipped: replaced.map((c) => c.intentId) });
    expect(QuoteSetTakenMessage.parse(taken[1])).toEqual(taken[1]);
  });

  it('a set delivered again while pending is still worked: it is never named skipped', async () => {
    const g = gatedVenue();
    const taken = await startRouter(g.venue);
    g.close();
    bus.publish(subjects.orderCommand('v'), set('99', '101'));
    await waitUntil(() => g.waiting() === 2, 2_000, 'the first set being placed', 5);
    const again = set('98.9', '101.1');
    bus.publish(subjects.orderCommand('v'), again);
    bus.publish(subjects.orderCommand('v'), { ...again, commandId: `${again.commandId}-redelivered` });
    await waitUntil(() => taken.length === 1, 2_000, 'the first set reported taken', 5);
    g.open();
    await waitUntil(() => taken.length === 2, 2_000, 'the second set reported taken', 5);
    expect(taken[1]).toMatchObject({ intentId: again.intentId, skipped: [] });
  });
});
