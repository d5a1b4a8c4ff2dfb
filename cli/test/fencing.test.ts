import { describe, expect, it } from 'vitest';
import { Instrument, RiskStateMessage, subjects } from '@perpetua/core';
import { InProcessBus, fencedBus } from '@perpetua/bus';
import { PaperTradingVenue, type VenueOrderRequest } from '@perpetua/venues';
import { NotLeaderError, fencedTradingAdapter } from '../src/compose/fenced-trading-adapter.js';

// The fences of a leader's service, on real implementations: the paper venue and the in-process bus.
const BTC = Instrument.parse({ venue: 'v', symbol: 'BTC-PERP', venueSymbol: 'BTC', base: 'BTC', quote: 'USD', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', makerFee: 0, takerFee: 0 });
const order = (clientOrderId: string): VenueOrderRequest => ({ clientOrderId, symbol: 'BTC-PERP', side: 'buy', type: 'limit', price: '100', qty: '0.01', tif: 'gtc', reduceOnly: false });

describe('fencedTradingAdapter', () => {
  it('places, amends and cancels only while the term has a token; reads always pass', async () => {
    let token: number | undefined = 7;
    const refused: string[] = [];
    const venue = new PaperTradingVenue('v', 'a', [BTC]);
    const fenced = fencedTradingAdapter(venue, () => token, (call) => refused.push(call));
    await fenced.start({ onOrderEvent: () => {}, onFill: () => {} });
    expect((await fenced.placeOrder(order('o1'))).status).toBe('accepted');
    token = undefined; // the lease lapsed: a stale leader
    await expect(fenced.placeOrder(order('o2'))).rejects.toThrow(NotLeaderError);
    await expect(fenced.cancelOrder('BTC-PERP', 'o1')).rejects.toThrow(NotLeaderError);
    await expect(fenced.cancelAll()).rejects.toThrow(NotLeaderError);
    expect(refused).toEqual(['place', 'cancel', 'cancel_all']);
    // Nothing reached the venue; reads still work (a standby reconciling reads before it acts).
    expect((await fenced.openOrders()).map((o) => o.clientOrderId)).toEqual(['o1']);
    token = 8;
    expect(await fenced.cancelOrder('BTC-PERP', 'o1')).toBe(true);
    expect(await fenced.openOrders()).toEqual([]);
    await fenced.close();
  });
});

describe('fencedBus', () => {
  it('publishes only while the term has a token; subscribing is the bus itself', async () => {
    const bus = new InProcessBus();
    let token: number | undefined = 3;
    const dropped: string[] = [];
    const fenced = fencedBus(bus, () => token, (s) => dropped.push(s));
    const seen: RiskStateMessage[] = [];
    fenced.subscribe(subjects.riskState(), RiskStateMessage, (m) => void seen.push(m));
    const state = (ts: number): RiskStateMessage => ({ halted: false, limits: {}, usage: {}, rejects: {}, ts });
    fenced.publish(subjects.riskState(), state(1));
    token = undefined;
    fenced.publish(subjects.riskState(), state(2));
    await bus.flush();
    expect(seen.map((m) => m.ts)).toEqual([1]);
    expect(dropped).toEqual([subjects.riskState()]);
    await bus.close();
  });
});
