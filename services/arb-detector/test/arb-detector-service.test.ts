import { afterEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { ArbOpportunityMessage, ArbStatsMessage, subjects, type BookMessage } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { waitUntil } from '@perpetua/testkit';
import { createLogger } from '@perpetua/telemetry';
import { ARB_LAST_BUCKET, ArbDetectorService, arbLastKey, type ArbDetectorServiceConfig } from '../src/index.js';

const logger = createLogger({
  service: 'arb-detector-test',
  level: 'warn',
  destination: new Writable({
    write(_chunk: Buffer, _enc, cb) {
      cb();
    },
  }),
});

let bus: InProcessBus;
let svc: ArbDetectorService | undefined;
let clock = 1_000;
let seq = 0;

afterEach(async () => {
  svc?.stop();
  svc = undefined;
  await bus.close();
});

function started(config: Partial<ArbDetectorServiceConfig> = {}) {
  bus = new InProcessBus();
  clock = 1_000;
  const registry = new Registry();
  const events: ArbOpportunityMessage[] = [];
  const stats: ArbStatsMessage[] = [];
  bus.subscribe(subjects.arbOpportunity('BTC-PERP'), ArbOpportunityMessage, (e) => void events.push(e));
  bus.subscribe(subjects.arbStats(), ArbStatsMessage, (s) => void stats.push(s));
  svc = new ArbDetectorService({ takerFees: { a: 0.0005, b: 0.0002 }, maxQty: { 'BTC-PERP': 1 }, staleAfterMs: undefined, ...config }, { bus, logger, registry, now: () => clock });
  svc.start();
  return { events, stats, registry };
}

function publishBook(venue: string, bid: number, ask: number, stale = false): BookMessage {
  const book: BookMessage = { venue, symbol: 'BTC-PERP', seq: ++seq, bids: [[bid, 2]], asks: [[ask, 2]], tsExchange: clock - 5, tsReceived: clock - 2, tsPublished: clock - 1, stale, trace: { venue: clock - 5, 'gw.recv': clock - 2 } };
  bus.publish(subjects.book(venue, 'BTC-PERP'), book);
  return book;
}

/**
 * Waits until the in-process world is idle: every delivery done (flush), then every promise chain the handlers
 * started run out (a macrotask turn comes only once the microtask queue is empty), then anything those chains
 * published delivered too. Nothing here is a timer or I/O, so idle is a condition, not a guess at a duration.
 */
const settle = async () => {
  await bus.flush();
  await new Promise<void>((r) => setImmediate(r));
  await bus.flush();
};

const net = (bid: number, ask: number) => bid * (1 - 0.0002) - ask * (1 + 0.0005);

describe('ArbDetectorService', () => {
  it('publishes opened when two venues open a gap, then closed with duration and peak when it goes', async () => {
    const { events } = started();
    publishBook('a', 99.9, 100);
    await settle();
    clock = 1_010;
    const trigger = publishBook('b', 100.5, 100.6);
    await settle();
    expect(events).toHaveLength(1);
    const opened = events[0]!;
    expect(opened).toMatchObject({ event: 'opened', symbol: 'BTC-PERP', buyVenue: 'a', sellVenue: 'b', buyPrice: 100, sellPrice: 100.5, buyVwap: 100, sellVwap: 100.5, qty: 1, openedAt: 1_010, durationMs: 0, triggerVenue: 'b', triggerSeq: trigger.seq, tsExchange: trigger.tsExchange, tsReceived: trigger.tsReceived });
    expect(opened.netProfit).toBeCloseTo(net(100.5, 100), 10);
    expect(opened.netEdge).toBeCloseTo(net(100.5, 100) / 100.05, 12);
    expect(opened.trace).toMatchObject({ venue: trigger.tsExchange, 'gw.recv': trigger.tsReceived, 'gw.pub': trigger.tsPublished, 'arb.recv': 1_010, 'arb.pub': 1_010 });
    expect(svc!.openCount).toBe(1);

    clock = 1_200;
    publishBook('b', 100.8, 100.9);
    await settle();
    expect(events[1]).toMatchObject({ event: 'updated', sellPrice: 100.8, durationMs: 190 });

    clock = 1_510;
    publishBook('b', 100.05, 100.1);
    await settle();
    const closed = events[2]!;
    expect(closed).toMatchObject({ event: 'closed', reason: 'edge_gone', buyVenue: 'a', sellVenue: 'b', openedAt: 1_010, durationMs: 500 });
    expect(closed.peakEdge).toBeCloseTo(net(100.8, 100) / 100.05, 12);
    expect(svc!.openCount).toBe(0);
    // the latest event per pair stays readable for late readers
    expect(await bus.getLast(ARB_LAST_BUCKET, arbLastKey('BTC-PERP', 'a', 'b'), ArbOpportunityMessage)).toMatchObject({ event: 'closed' });
    expect(svc!.recent().map((e) => e.event)).toEqual(['opened', 'updated', 'closed']);
  });

  it('a book flagged stale closes its opportunities', async () => {
    const { events } = started();
    publishBook('a', 99.9, 100);
    publishBook('b', 100.5, 100.6);
    await settle();
    clock = 1_300;
    publishBook('b', 100.5, 100.6, true);
    await settle();
    expect(events.map((e) => e.event)).toEqual(['opened', 'closed']);
    expect(events[1]).toMatchObject({ reason: 'stale', triggerVenue: 'b', durationMs: 300 });
  });

  it('a book that goes silent is closed by the sweep', async () => {
    const { events } = started({ staleAfterMs: 200 });
    publishBook('a', 99.9, 100);
    publishBook('b', 100.5, 100.6);
    await settle();
    expect(events.map((e) => e.event)).toEqual(['opened']);
    clock = 1_400;
    await waitUntil(() => events.length === 2, 2_000, 'the sweep (every 50 ms) to close it', 5);
    expect(events.map((e) => e.event)).toEqual(['opened', 'closed']);
    expect(events[1]).toMatchObject({ reason: 'stale' });
  });

  it('publishes statistics periodically and exports metrics', async () => {
    const { stats, registry } = started({ statsIntervalMs: 30 });
    publishBook('a', 99.9, 100);
    publishBook('b', 100.5, 100.6);
    publishBook('b', 100.05, 100.1, true);
    await settle();
    await waitUntil(() => stats.at(-1)?.updates === 3, 2_000, 'statistics (every 30 ms) counting the three books', 5);
    const s = stats.at(-1)!;
    expect(s).toMatchObject({ updates: 3, opened: 1, closed: 1, open: 0, unusableBooks: 1, staleCloses: 1, venues: { a: { symbols: 1, unusableSymbols: 0, updates: 1 }, b: { symbols: 1, unusableSymbols: 1, updates: 2 } } });
    expect(stats[0]!.evaluateMicros?.count).toBe(3); // the window resets after each message
    const text = await registry.metrics();
    expect(text).toContain('perpetua_arb_book_updates_total{venue="b"} 2');
    expect(text).toContain('perpetua_arb_opportunities_total{event="opened"} 1');
    expect(text).toContain('perpetua_arb_evaluate_seconds_count 3');
    expect(text).toContain('perpetua_arb_open_opportunities 0');
  });

  it('counts a book with levels out of order as a failure and opens nothing from it', async () => {
    const { events, registry } = started();
    publishBook('b', 100.5, 100.6);
    bus.publish(subjects.book('a', 'BTC-PERP'), { venue: 'a', symbol: 'BTC-PERP', seq: ++seq, bids: [[99.9, 1]], asks: [[100, 1], [99, 1]], tsExchange: 1, tsReceived: 1, tsPublished: 1, stale: false } satisfies BookMessage);
    await settle();
    expect(events).toEqual([]);
    expect(await registry.metrics()).toContain('perpetua_arb_failures_total{kind="invalid_book"} 1');
    expect(svc!.publishStats().failures).toEqual({ invalid_book: 1 });
  });
});
