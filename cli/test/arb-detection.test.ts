import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArbOpportunityMessage, BookMessage, patterns } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { evaluateEdge } from '@perpetua/arb';
import { startSimulator, type RunningSimulator } from '@perpetua/sim';
import { createLogger, createMetrics } from '@perpetua/telemetry';
import { waitUntil } from '@perpetua/testkit';
import { PerpetuaConfig } from '../src/perpetua-config.js';
import { startGateway, type RunningService } from '../src/compose/build-services.js';
import { resolveVenues } from '../src/compose/resolve-venues.js';
import { startArbDetector } from '../src/compose/start-arb-detector.js';

/**
 * Acceptance for the detector: the simulator opens a known gap (a basis fault
 * on one venue); through the real gateways the detector reports it within
 * 100 ms of the book update that created it, with the venues, prices, quantity
 * and profit the books imply, and closes it when the gap closes.
 */
let sim: RunningSimulator;
let bus: InProcessBus;
const running: RunningService[] = [];
let detector: Awaited<ReturnType<typeof startArbDetector>>;
const events: ArbOpportunityMessage[] = [];
const books = new Map<string, BookMessage>();
/** Every book as published, by venue and gateway seq: the one that triggered an event is found by both. */
const history = new Map<string, BookMessage>();

beforeAll(async () => {
  sim = await startSimulator({ seed: 5, admin: false, venues: ['binanceusdm', 'standx'] });
  bus = new InProcessBus();
  const config = PerpetuaConfig.parse({
    venues: { binanceusdm: { kind: 'ccxt', exchange: 'binanceusdm', symbols: ['BTC-PERP'] }, standx: { kind: 'standx', symbols: ['BTC-PERP'] } },
    arb: { threshold: 0.001, takerFees: { binanceusdm: 0.0004, standx: 0.0004 }, maxQty: { 'BTC-PERP': 5 } },
  });
  const venues = await resolveVenues(config, sim.ready);
  const deps = { bus, logger: createLogger({ service: 'arb-test', level: 'silent' }), registry: createMetrics({ service: 'arb-test', defaultMetrics: false }) };
  bus.subscribe(patterns.allBooks, BookMessage, (b) => {
    books.set(b.venue, b);
    history.set(`${b.venue}#${b.seq}`, b);
  });
  bus.subscribe(patterns.allArbOpportunities, ArbOpportunityMessage, (e) => void events.push(e));
  for (const v of Object.keys(venues)) running.push(await startGateway(config, venues, v, deps));
  detector = await startArbDetector(config, venues, deps);
  running.push(detector);
}, 60_000);

afterAll(async () => {
  for (const r of running) await r.stop();
  await bus?.close();
  await sim?.close();
});

describe('arbitrage detection against the simulator', () => {
  it('reports a known gap within 100 ms of the book that opened it, with the implied venues, prices, size and profit, and closes it', async () => {
    await waitUntil(() => books.get('binanceusdm')?.stale === false && books.get('standx')?.stale === false, 20_000, 'good books on both venues');
    expect(events.filter((e) => e.event === 'opened')).toEqual([]); // no gap without the fault

    // StandX 60 bps rich: buy on Binance, sell on StandX.
    sim.faults.inject({ kind: 'basis', venue: 'standx', asset: 'BTC', bps: 60 });
    await waitUntil(() => events.some((e) => e.event === 'opened'), 10_000, 'an opened opportunity');
    const opened = events.find((e) => e.event === 'opened')!;
    expect(opened).toMatchObject({ symbol: 'BTC-PERP', buyVenue: 'binanceusdm', sellVenue: 'standx' });
    // Latency: from the gateway receiving the triggering update to the detector's decision.
    expect(opened.ts - opened.tsReceived).toBeLessThanOrEqual(100);

    // The numbers are what the two books at that moment imply.
    const trigger = history.get(`${opened.triggerVenue}#${opened.triggerSeq}`)!;
    const other = [...history.values()].filter((b) => b.venue !== opened.triggerVenue && b.tsPublished <= trigger.tsPublished).at(-1)!;
    const buyBook = opened.buyVenue === trigger.venue ? trigger : other;
    const sellBook = opened.sellVenue === trigger.venue ? trigger : other;
    expect(opened.buyPrice).toBe(buyBook.asks[0]![0]);
    expect(opened.sellPrice).toBe(sellBook.bids[0]![0]);
    const fees = detector.service.config.takerFees;
    const expected = evaluateEdge(buyBook.asks, sellBook.bids, { buyFee: fees['binanceusdm']!, sellFee: fees['standx']!, threshold: 0.001, maxQty: 5, levels: detector.service.config.depth })!;
    expect(opened.qty).toBeCloseTo(expected.qty, 9);
    expect(opened.netProfit).toBeCloseTo(expected.netProfit, 6);
    expect(opened.netEdge).toBeGreaterThanOrEqual(0.001 - 1e-12);
    expect(opened.netEdge).toBeCloseTo(expected.netEdge, 9);

    // Close the gap: the opportunity closes with its duration and peak.
    sim.faults.clear();
    await waitUntil(() => events.some((e) => e.event === 'closed'), 15_000, 'the opportunity to close');
    const closed = events.find((e) => e.event === 'closed')!;
    expect(closed).toMatchObject({ buyVenue: 'binanceusdm', sellVenue: 'standx', reason: 'edge_gone' });
    expect(closed.durationMs).toBeGreaterThan(0);
    expect(closed.peakEdge).toBeGreaterThanOrEqual(opened.netEdge);
  }, 60_000);
});
