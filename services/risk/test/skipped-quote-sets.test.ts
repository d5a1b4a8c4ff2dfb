import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { D, subjects } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { waitUntil } from '@perpetua/testkit';
import { OrderExposureFeed } from '../src/order-exposure-feed.js';

const T0 = 1_700_000_000_000;
const at = { venue: 'v', account: 'a', symbol: 'BTC-PERP', strategy: 'mm' };
const bid = (price: string, qty: string) => [{ slot: 'bid-0', side: 'buy' as const, price, qty, postOnly: true }];

let bus: InProcessBus;
let feed: OrderExposureFeed | undefined;
afterEach(async () => {
  feed?.stop();
  await bus.close();
});

describe('risk: quote sets a router skipped', () => {
  it('stops counting the approvals of the sets a router names skipped, and only those', async () => {
    bus = new InProcessBus();
    const f = new OrderExposureFeed(bus, new Registry());
    feed = f;
    f.start();
    f.approvedQuotes({ ...at, intentId: 'mm-1' }, bid('99', '3'), T0);
    f.approvedQuotes({ ...at, intentId: 'mm-2' }, bid('98', '1'), T0);
    const inFlight = () => f.contextFor(at, T0, 'mm').live?.map((o) => `${D.toText(o.qty)}${o.reserve ? ' reserve' : ''}`) ?? [];
    // mm-2 is the slot's latest; mm-1, larger, counts beyond it as a reserve.
    expect(inFlight()).toEqual(['1', '2 reserve']);

    // The router took mm-2 and skipped mm-1: mm-2's approval still counts, mm-1's is gone.
    bus.publish(subjects.quoteSetTaken('v'), { venue: 'v', account: 'a', strategy: 'mm', symbol: 'BTC-PERP', intentId: 'mm-2', skipped: ['mm-1'], ts: T0 });
    await waitUntil(() => inFlight().length === 1, 2_000, "mm-1's approval dropped", 5);
    expect(inFlight()).toEqual(['1']);
  });
});
