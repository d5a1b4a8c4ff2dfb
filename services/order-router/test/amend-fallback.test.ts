import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { Instrument, subjects, type FundingPayment, type SetQuotesCommand } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import type { AmendChange, AmendResult, PlaceResult, TradingAdapter, TradingHandlers, VenueOrder, VenueOrderRequest, VenuePosition } from '@perpetua/venues';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { OrderRouterService } from '../src/order-router-service.js';
import { setQuotes } from './set-quotes-command.js';

/** How the router settles each amend outcome, against a scripted venue that checks one open order per slot. */

const logger = createLogger({ service: 'router-amend-test', level: 'silent' });
const BTC = Instrument.parse({ venue: 'v', symbol: 'BTC-PERP', venueSymbol: 'BTC', base: 'BTC', quote: 'USD', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', makerFee: 0, takerFee: 0 });

type Script = 'accept' | 'reject-keep' | 'reject-gone' | 'unknown-landed' | 'unknown-lost' | 'unknown-unqueryable';

class ScriptedVenue implements TradingAdapter {
  readonly venue = 'v';
  readonly account = 'a';
  readonly orders = new Map<string, VenueOrder>();
  readonly calls: string[] = [];
  readonly doubled: string[] = [];
  script: Script[] = [];
  queryFails = false;
  failedQueries = 0;

  async instruments(): Promise<Instrument[]> {
    return [BTC];
  }
  async start(_h: TradingHandlers): Promise<void> {}
  async placeOrder(req: VenueOrderRequest): Promise<PlaceResult> {
    this.calls.push(`place ${req.side} ${req.price}`);
    if ([...this.orders.values()].some((o) => o.side === req.side)) this.doubled.push(`${req.side} ${req.clientOrderId}`);
    this.orders.set(req.clientOrderId, { clientOrderId: req.clientOrderId, symbol: req.symbol, side: req.side, ...(req.price ? { price: req.price } : {}), qty: req.qty, filledQty: '0', status: 'new' });
    return { status: 'accepted', orderStatus: 'new' };
  }
  async amendOrder(_symbol: string, clientOrderId: string, change: AmendChange): Promise<AmendResult> {
    const step = this.script.shift() ?? 'accept';
    this.calls.push(`amend ${change.side} ${change.price} ${step}`);
    const o = this.orders.get(clientOrderId);
    if (!o) return { status: 'rejected', reason: 'no such order' };
    switch (step) {
      case 'accept':
        this.orders.set(clientOrderId, { ...o, price: change.price, qty: change.qty });
        return { status: 'accepted', orderStatus: 'new' };
      case 'reject-keep':
        return { status: 'rejected', reason: 'post-only would cross' };
      case 'reject-gone':
        this.orders.delete(clientOrderId);
        return { status: 'rejected', reason: 'post-only would cross (order cancelled)' };
      case 'unknown-landed':
        this.orders.set(clientOrderId, { ...o, price: change.price, qty: change.qty });
        return { status: 'unknown', reason: 'timeout' };
      case 'unknown-lost':
        return { status: 'unknown', reason: 'timeout' };
      case 'unknown-unqueryable':
        this.queryFails = true;
        return { status: 'unknown', reason: 'timeout' };
    }
  }
  async cancelOrder(_symbol: string, clientOrderId: string): Promise<boolean> {
    this.calls.push(`cancel ${this.orders.get(clientOrderId)?.side ?? 'gone'}`);
    return this.orders.delete(clientOrderId);
  }
  async cancelAll(): Promise<number> {
    const n = this.orders.size;
    this.orders.clear();
    return n;
  }
  async openOrders(): Promise<VenueOrder[]> {
    return [...this.orders.values()];
  }
  async queryOrder(_symbol: string, clientOrderId: string): Promise<VenueOrder | undefined> {
    if (this.queryFails) {
      this.failedQueries++;
      throw new Error('venue unreachable');
    }
    return this.orders.get(clientOrderId);
  }
  async positions(): Promise<VenuePosition[]> {
    return [];
  }
  async fundingPayments(): Promise<FundingPayment[]> {
    return [];
  }
  async close(): Promise<void> {}
}

let bus: InProcessBus;
let router: OrderRouterService | undefined;
afterEach(async () => {
  await router?.stop();
  await bus.close();
});

const bidSet = (bid: string): SetQuotesCommand => setQuotes({ venue: 'v', account: 'a' }, [{ slot: 'bid-0', side: 'buy', price: bid, qty: '0.01', postOnly: true }]);

async function setup(): Promise<ScriptedVenue> {
  bus = new InProcessBus();
  const venue = new ScriptedVenue();
  router = new OrderRouterService({ bus, adapter: venue, store: new MemoryStateStore(), logger, registry: new Registry(), reconcile: { settleMs: 0 } });
  await router.start();
  bus.publish(subjects.orderCommand('v'), bidSet('99'));
  await waitUntil(() => venue.orders.size === 1, 2_000, 'the first bid');
  return venue;
}

const bidPrice = (v: ScriptedVenue) => [...v.orders.values()].map((o) => o.price);
const ids = (v: ScriptedVenue) => [...v.orders.keys()];

describe('order router: amend outcomes', () => {
  it('accepted: one amend call, same client id, counted', async () => {
    const v = await setup();
    const before = ids(v);
    bus.publish(subjects.orderCommand('v'), bidSet('99.1'));
    await waitUntil(() => bidPrice(v)[0] === '99.1', 2_000, 'amended bid');
    expect(ids(v)).toEqual(before);
    expect(v.calls).toEqual(['place buy 99', 'amend buy 99.1 accept']);
    expect(router!.stats.amended).toBe(1);
    // The slot now holds 99.1: the same quote again needs no call.
    bus.publish(subjects.orderCommand('v'), bidSet('99.1'));
    await bus.flush();
    await holdsFor(() => v.calls.length === 2, 50, () => `no venue call for the quote the slot holds (calls: ${v.calls.join(', ')})`);
    expect(v.calls).toHaveLength(2);
  });

  for (const step of ['reject-keep', 'reject-gone', 'unknown-lost'] as const) {
    it(`${step}: cancelled (confirmed), then placed anew; never two orders for the slot`, async () => {
      const v = await setup();
      const before = ids(v);
      v.script = [step];
      bus.publish(subjects.orderCommand('v'), bidSet('99.1'));
      await waitUntil(() => bidPrice(v)[0] === '99.1' && ids(v)[0] !== before[0], 3_000, 'replaced bid');
      expect(v.calls.slice(1)).toEqual([`amend buy 99.1 ${step}`, `cancel ${step === 'reject-gone' ? 'gone' : 'buy'}`, 'place buy 99.1']);
      expect(v.doubled).toEqual([]);
      expect(router!.stats.amended).toBe(0);
    });
  }

  it('unknown that landed: the query finds the new values, no replace', async () => {
    const v = await setup();
    const before = ids(v);
    v.script = ['unknown-landed'];
    bus.publish(subjects.orderCommand('v'), bidSet('99.1'));
    await waitUntil(() => router!.stats.amended === 1, 2_000, 'amend confirmed by query');
    expect(ids(v)).toEqual(before);
    expect(v.calls.slice(1)).toEqual(['amend buy 99.1 unknown-landed']);
  });

  it('unknown and unqueryable: the slot stays occupied (nothing placed); the next set amends it again', async () => {
    const v = await setup();
    const before = ids(v);
    v.script = ['unknown-unqueryable'];
    bus.publish(subjects.orderCommand('v'), bidSet('99.1'));
    await waitUntil(() => v.calls.length === 2, 2_000, 'the amend');
    await waitUntil(() => v.failedQueries === 3, 2_000, () => `the query and its two retries (250 + 500 ms apart): ${v.failedQueries} so far`);
    // Given up: the slot stays occupied, so nothing is placed beside the unknown order.
    await holdsFor(() => v.calls.length === 2, 100, () => `no call once the queries gave up (calls: ${v.calls.join(', ')})`);
    expect(v.calls.slice(1)).toEqual(['amend buy 99.1 unknown-unqueryable']);
    v.queryFails = false;
    bus.publish(subjects.orderCommand('v'), bidSet('99.2'));
    await waitUntil(() => bidPrice(v)[0] === '99.2', 2_000, 'amended on the next set');
    expect(ids(v)).toEqual(before);
    expect(v.doubled).toEqual([]);
  });
});
