import { describe, expect, it } from 'vitest';
import { D, dec, toText, type BookLevel } from '@perpetua/core';
import { constantLatency, feeTier, FillSimulator, powerProbability, probabilisticQueue, riskAverseQueue, type QueueModel, type SimEvent, type SimOrder } from '../src/index.js';

const LOT = dec('0.001');
const FEES = feeTier('test', '-0.0001', '0.0005');

function harness(queue: QueueModel = riskAverseQueue, latencyMs = 0) {
  const events: SimEvent[] = [];
  const sim = new FillSimulator({ lotSize: LOT, queue, fees: FEES, latency: constantLatency({ entryMs: latencyMs }), onEvent: (e) => events.push(e) });
  const fills = () => events.filter((e): e is Extract<SimEvent, { kind: 'fill' }> => e.kind === 'fill');
  const filled = () => fills().reduce((s, f) => D.add(s, f.qty), D.ZERO);
  return { sim, events, fills, filled };
}

const bid = (id: string, price: string, qty: string, tif: SimOrder['tif'] = 'post_only'): SimOrder => ({ clientOrderId: id, side: 'buy', price: dec(price), qty: dec(qty), tif });
const ask = (id: string, price: string, qty: string, tif: SimOrder['tif'] = 'post_only'): SimOrder => ({ clientOrderId: id, side: 'sell', price: dec(price), qty: dec(qty), tif });
const book = (bids: BookLevel[], asks: BookLevel[]) => [bids, asks] as const;

describe('FillSimulator: queue', () => {
  it('a trade smaller than the size ahead fills nothing', () => {
    const h = harness();
    h.sim.onBook(...book([[100, 5]], [[101, 5]]), 0);
    h.sim.submit(bid('b1', '100', '1'), 0);
    h.sim.advance(0);
    h.sim.onTrade(100, 2, 'sell', 1);
    expect(h.fills()).toHaveLength(0);
    expect(h.sim.orderState('b1')?.ahead).toBe(3);
  });

  it('trades at our price fill us once they have eaten the queue ahead, partially, in lots', () => {
    const h = harness();
    h.sim.onBook(...book([[100, 5]], [[101, 5]]), 0);
    h.sim.submit(bid('b1', '100', '1'), 0);
    h.sim.advance(0);
    h.sim.onTrade(100, 4, 'sell', 1); // 1 ahead left
    h.sim.onTrade(100, 1.4, 'sell', 2); // 0.4 reaches us
    expect(h.fills().map((f) => toText(f.qty))).toEqual(['0.4']);
    h.sim.onTrade(100, 3, 'sell', 3); // the rest
    expect(h.fills().map((f) => toText(f.qty))).toEqual(['0.4', '0.6']);
    expect(toText(h.filled())).toBe('1');
    expect(h.fills().at(-1)?.done).toBe(true);
    expect(h.sim.openOrderCount).toBe(0);
  });

  it('a trade by a buyer at our bid price does not fill our bid', () => {
    const h = harness();
    h.sim.onBook(...book([[100, 0]], [[101, 5]]), 0);
    h.sim.submit(bid('b1', '100', '1'), 0);
    h.sim.advance(0);
    h.sim.onTrade(100, 10, 'buy', 1);
    expect(h.fills()).toHaveLength(0);
  });

  it('a cancel ahead moves us up only as the model says', () => {
    for (const [model, expected] of [
      [riskAverseQueue, 5],
      [probabilisticQueue(powerProbability(1)), 3],
    ] as const) {
      const h = harness(model);
      h.sim.onBook(...book([[100, 5]], [[101, 5]]), 0);
      h.sim.submit(bid('b1', '100', '1'), 0);
      h.sim.advance(0);
      h.sim.onBook(...book([[100, 10]], [[101, 5]]), 1); // 5 join behind us
      h.sim.onBook(...book([[100, 6]], [[101, 5]]), 2); // 4 cancelled: front 5, back 5, P(behind)=0.5
      expect(h.sim.orderState('b1')?.ahead).toBe(expected);
    }
  });

  it('a cross fills at our price, not the crossing price', () => {
    const h = harness();
    h.sim.onBook(...book([[100, 5]], [[101, 5]]), 0);
    h.sim.submit(ask('a1', '101', '2'), 0);
    h.sim.advance(0);
    h.sim.onBook(...book([[102, 3]], [[103, 5]]), 1);
    const [f] = h.fills();
    expect(f?.price).toBe(dec('101'));
    expect(toText(f!.qty)).toBe('2');
    expect(f?.liquidity).toBe('maker');
    expect(toText(f!.fee)).toBe('-0.0202'); // a 1 bp rebate on 202 notional
  });

  it('a trade through our price fills us at our price, up to the size the taker printed beyond it', () => {
    const h = harness();
    h.sim.onBook(...book([[100, 50]], [[101, 5]]), 0);
    h.sim.submit(bid('b1', '100', '1'), 0);
    h.sim.advance(0);
    h.sim.onTrade(99.5, 0.1, 'sell', 1); // our level was used up (queue gone); that taker had 0.1 more
    expect(h.fills().map((f) => [toText(f.price), toText(f.qty)])).toEqual([['100', '0.1']]);
    expect(h.sim.orderState('b1')?.ahead).toBe(0);
    h.sim.onTrade(99.4, 5, 'sell', 2);
    expect(h.fills().map((f) => [toText(f.price), toText(f.qty)])).toEqual([
      ['100', '0.1'],
      ['100', '0.9'],
    ]);
  });

  it('the other side resting through our price fills us up to its size there', () => {
    const h = harness();
    h.sim.onBook(...book([[100, 5]], [[101, 5]]), 0);
    h.sim.submit(bid('b1', '100', '2'), 0);
    h.sim.advance(0);
    h.sim.onBook(...book([[99.5, 5]], [[99.9, 0.3], [100, 0.2], [100.1, 9]]), 1);
    expect(h.fills().map((f) => [toText(f.price), toText(f.qty)])).toEqual([['100', '0.5']]);
  });

  it('partial fills sum to the order and never exceed it', () => {
    const h = harness(probabilisticQueue(powerProbability(2)));
    h.sim.onBook(...book([[100, 1]], [[101, 5]]), 0);
    h.sim.submit(bid('b1', '100', '0.5'), 0);
    h.sim.advance(0);
    for (let t = 1; t < 40; t++) h.sim.onTrade(100, 0.13, 'sell', t);
    expect(h.fills().length).toBeGreaterThan(1);
    expect(toText(h.filled())).toBe('0.5');
    expect(h.fills().at(-1)?.filled).toBe(dec('0.5'));
  });
});

describe('FillSimulator: latency', () => {
  it('an order reaches the venue after the entry latency, so it joins the queue as the book is then', () => {
    const h = harness(riskAverseQueue, 50);
    h.sim.onBook(...book([[100, 1]], [[101, 5]]), 0);
    h.sim.submit(bid('b1', '100', '1'), 0); // decided on a book with 1 ahead
    h.sim.onBook(...book([[100, 9]], [[101, 5]]), 20); // the book moved on before our order arrived
    expect(h.sim.orderState('b1')).toBeUndefined();
    h.sim.onTrade(100, 2, 'sell', 60); // the order arrives at 50 behind 9
    expect(h.fills()).toHaveLength(0);
    expect(h.sim.orderState('b1')?.ahead).toBe(7);
    const accepted = h.events.find((e) => e.kind === 'accepted');
    expect(accepted).toMatchObject({ ts: 50, tsLocal: 100 });
  });

  it('a cancel in flight does not stop a fill that happens before it arrives; the cancel is then refused', () => {
    const h = harness(riskAverseQueue, 30);
    h.sim.onBook(...book([[100, 0]], [[101, 5]]), 0);
    h.sim.submit(bid('b1', '100', '1'), 0);
    h.sim.advance(30);
    h.sim.cancel('b1', 40); // arrives at 70
    h.sim.onTrade(100, 5, 'sell', 60);
    h.sim.advance(70);
    expect(h.events.map((e) => e.kind)).toEqual(['accepted', 'fill', 'cancel_rejected']);
  });

  it('a post-only order that would cross on arrival is rejected; a GTC one takes the visible levels up to its limit', () => {
    const h = harness();
    h.sim.onBook(...book([[100, 5]], [[101, 0.4], [101.5, 1], [102, 9]]), 0);
    h.sim.submit(bid('p', '101.5', '1'), 0);
    h.sim.submit(bid('g', '101.5', '2', 'gtc'), 0);
    h.sim.advance(0);
    expect(h.events[0]).toMatchObject({ kind: 'rejected', reason: 'post-only order would cross' });
    expect(h.fills().map((f) => [toText(f.price), toText(f.qty), f.liquidity])).toEqual([
      ['101', '0.4', 'taker'],
      ['101.5', '1', 'taker'],
    ]);
    expect(toText(h.sim.orderState('g')!.remaining)).toBe('0.6');
  });

  it('refuses sizes off the lot and bounds orders in flight', () => {
    const events: SimEvent[] = [];
    const sim = new FillSimulator({ lotSize: LOT, queue: riskAverseQueue, fees: FEES, latency: constantLatency({ entryMs: 10 }), maxInFlight: 2, onEvent: (e) => events.push(e) });
    sim.submit(bid('a', '100', '0.0005'), 0);
    sim.submit(bid('b', '100', '1'), 0);
    sim.submit(bid('c', '100', '1'), 0);
    expect(events).toEqual([expect.objectContaining({ kind: 'rejected', clientOrderId: 'c' })]);
    sim.advance(10);
    expect(events[1]).toMatchObject({ kind: 'rejected', clientOrderId: 'a', reason: 'size is not a positive multiple of the lot' });
    expect(sim.inFlightCount).toBe(0);
  });
});
