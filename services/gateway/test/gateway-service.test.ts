import { afterEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { BookMessage, DepthMessage, Instrument, VenueStatusMessage, buckets, lastValueKey, patterns, subjects, type Instrument as InstrumentT } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { waitUntil } from '@perpetua/testkit';
import { createLogger } from '@perpetua/telemetry';
import type { BookEvent, MarketDataAdapter, MarketDataHandlers } from '@perpetua/venues';
import { GatewayService } from '../src/gateway-service.js';

/**
 * The gateway's own rules (what it publishes, when a book is not good), driven
 * by a scripted adapter. The real adapters are tested against the simulator.
 */
const BTC: InstrumentT = Instrument.parse({ venue: 'v', symbol: 'BTC-PERP', venueSymbol: 'BTCX', base: 'BTC', quote: 'USD', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', makerFee: 0, takerFee: 0.0004 });

class ScriptedAdapter implements MarketDataAdapter {
  readonly venue = 'v';
  handlers: MarketDataHandlers | undefined;
  failStarts = 0;
  resyncs: string[] = [];
  constructor(private readonly listed: InstrumentT[] = [BTC]) {}
  async instruments() {
    return this.listed;
  }
  async start(_symbols: string[], h: MarketDataHandlers) {
    if (this.failStarts-- > 0) throw new Error('venue unreachable');
    this.handlers = h;
    h.onStatus?.('connected');
  }
  resync(symbol: string) {
    this.resyncs.push(symbol);
  }
  async close() {}
  book(e: { kind: BookEvent['kind']; bids: Array<[number, number]>; asks: Array<[number, number]>; venueSeq?: number; prevVenueSeq?: number }) {
    const now = Date.now();
    this.handlers!.onBook({ symbol: 'BTC-PERP', tsExchange: now, tsReceived: now, ...e } as BookEvent);
  }
}

const logLines: string[] = [];
const logger = createLogger({
  service: 'gateway-test',
  level: 'info',
  destination: new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  }),
});

let bus: InProcessBus;
let gw: GatewayService | undefined;

afterEach(async () => {
  await gw?.stop();
  await bus.close();
  gw = undefined;
  logLines.length = 0;
});

async function started(adapter: ScriptedAdapter, staleAfterMs = 200, publishDepth = false) {
  bus = new InProcessBus();
  const books: BookMessage[] = [];
  const status: VenueStatusMessage[] = [];
  bus.subscribe(patterns.booksOf('v'), BookMessage, (b) => void books.push(b));
  bus.subscribe(subjects.status('v'), VenueStatusMessage, (s) => void status.push(s));
  const registry = new Registry();
  gw = new GatewayService(adapter, { symbols: ['BTC-PERP'], depth: 5, staleAfterMs, lastValueIntervalMs: 0, publishDepth }, { bus, logger, registry });
  await gw.start();
  return { books, status, registry };
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

describe('GatewayService', () => {
  it('publishes the instrument, then books from snapshots and deltas, and the last book for late readers', async () => {
    const a = new ScriptedAdapter();
    const { books, registry } = await started(a);
    expect(await bus.getLast(buckets.instruments, lastValueKey('v', 'BTC-PERP'), Instrument)).toEqual(BTC);
    a.book({ kind: 'snapshot', bids: [[100, 1], [99, 2]], asks: [[101, 1]], venueSeq: 10 });
    a.book({ kind: 'delta', bids: [[100, 0], [99.5, 3]], asks: [], venueSeq: 11, prevVenueSeq: 10 });
    await settle();
    expect(books.map((b) => [b.seq, b.stale, b.bids[0]])).toEqual([
      [1, false, [100, 1]],
      [2, false, [99.5, 3]],
    ]);
    const last = await bus.getLast(buckets.lastBook, lastValueKey('v', 'BTC-PERP'), BookMessage);
    expect(last?.seq).toBe(2);
    // 99.5 / 101: (101 - 99.5) / 100.25 = 149.6 bps
    const spread = (await registry.getSingleMetric('perpetua_gateway_spread_bps')!.get()).values.find((v) => v.labels.symbol === 'BTC-PERP');
    expect(spread?.value).toBeCloseTo(((101 - 99.5) / 100.25) * 10_000, 6);
    expect(await registry.getSingleMetricAsString('perpetua_gateway_venue_up')).toContain('venue="v"} 1');
  });

  it('with publishDepth, every book change goes out on md.depth as the venue sent it, gaps included, beside the books', async () => {
    const a = new ScriptedAdapter();
    const depth: DepthMessage[] = [];
    const { books } = await started(a, 200, true);
    bus.subscribe(patterns.depthOf('v'), DepthMessage, (d) => void depth.push(d));
    a.book({ kind: 'snapshot', bids: [[100, 1], [99, 2], [98, 1], [97, 1], [96, 1], [95, 9]], asks: [[101, 1]], venueSeq: 1 });
    a.book({ kind: 'delta', bids: [[100, 2]], asks: [], venueSeq: 3, prevVenueSeq: 2 }); // a gap: refused by the book, still recorded
    await settle();
    expect(depth.map((d) => [d.type, d.venueSeq, d.prevVenueSeq, d.bids.length])).toEqual([
      ['snapshot', 1, undefined, 6],
      ['delta', 3, 2, 1],
    ]);
    expect(books[0]!.bids).toHaveLength(5); // the published book keeps its configured depth
  });

  it('a sequence gap flags the book, asks the adapter for a snapshot, and ignores deltas until it comes', async () => {
    const a = new ScriptedAdapter();
    const { books, registry } = await started(a);
    a.book({ kind: 'snapshot', bids: [[100, 1]], asks: [[101, 1]], venueSeq: 1 });
    a.book({ kind: 'delta', bids: [[100, 2]], asks: [], venueSeq: 3, prevVenueSeq: 2 }); // 2 was lost
    a.book({ kind: 'delta', bids: [[100, 5]], asks: [], venueSeq: 4, prevVenueSeq: 3 }); // must not be applied
    await settle();
    expect(a.resyncs).toEqual(['BTC-PERP']);
    expect(books.map((b) => [b.stale, b.bids[0]])).toEqual([
      [false, [100, 1]],
      [true, [100, 1]],
    ]);
    a.book({ kind: 'snapshot', bids: [[100, 7]], asks: [[101, 1]], venueSeq: 9 });
    await settle();
    expect(books.at(-1)).toMatchObject({ stale: false, bids: [[100, 7]] });
    expect(await registry.getSingleMetricAsString('perpetua_gateway_resyncs_total')).toContain('venue="v"} 1');
  });

  it('a crossed book is published flagged, never as good', async () => {
    const a = new ScriptedAdapter();
    const { books } = await started(a);
    a.book({ kind: 'snapshot', bids: [[102, 1]], asks: [[101, 1]] });
    await settle();
    expect(books.at(-1)).toMatchObject({ stale: true });
    expect(gw!.isReady()).toBe(false);
  });

  it('an adapter resync flags every book until a snapshot; reconnection is counted', async () => {
    const a = new ScriptedAdapter();
    const { books, status, registry } = await started(a);
    a.book({ kind: 'snapshot', bids: [[100, 1]], asks: [[101, 1]] });
    a.handlers!.onStatus?.('resyncing', 'socket closed');
    a.book({ kind: 'delta', bids: [[100, 3]], asks: [] }); // stale delta from the old connection
    await settle();
    expect(books.at(-1)).toMatchObject({ stale: true, bids: [[100, 1]] });
    expect(status.at(-1)).toMatchObject({ state: 'resyncing', reason: 'socket closed' });
    a.handlers!.onStatus?.('connected');
    a.book({ kind: 'snapshot', bids: [[100, 4]], asks: [[101, 1]] });
    await settle();
    expect(books.at(-1)).toMatchObject({ stale: false, bids: [[100, 4]] });
    expect(status.at(-1)?.state).toBe('connected');
    expect(await registry.getSingleMetricAsString('perpetua_gateway_reconnects_total')).toContain('venue="v"} 1');
  });

  it('silence marks the book stale on md.status within the configured time, and fresh data clears it', async () => {
    const a = new ScriptedAdapter();
    const { books, status } = await started(a, 150);
    a.book({ kind: 'snapshot', bids: [[100, 1]], asks: [[101, 1]] });
    await settle();
    const staleAt = await waitUntil(() => status.some((s) => s.state === 'stale'), 2_000, 'the stale status', 10);
    expect(staleAt).toBeLessThan(150 + 150); // window + one check period (window / 4) + scheduling slack
    expect(status.find((s) => s.state === 'stale')?.staleSymbols).toEqual(['BTC-PERP']);
    expect(books.at(-1)?.stale).toBe(true);
    a.book({ kind: 'snapshot', bids: [[100, 2]], asks: [[101, 1]] });
    await settle();
    expect(status.at(-1)?.state).toBe('connected');
    expect(books.at(-1)?.stale).toBe(false);
  });

  it('malformed events are counted and logged once per kind, naming the venue; the book is untouched', async () => {
    const a = new ScriptedAdapter();
    const { books, registry } = await started(a);
    a.book({ kind: 'snapshot', bids: [[100, 1]], asks: [[101, 1]] });
    for (let i = 0; i < 3; i++) a.handlers!.onInvalid?.('depth', 'expected a decimal string');
    a.book({ kind: 'delta', bids: [[Number.NaN, 1]], asks: [] });
    a.book({ kind: 'delta', bids: [[-5, 1]], asks: [] });
    await settle();
    expect(books).toHaveLength(1);
    const metric = await registry.getSingleMetricAsString('perpetua_gateway_invalid_events_total');
    expect(metric).toContain('kind="depth"} 3');
    expect(metric).toContain('kind="book"} 2');
    const logged = logLines.filter((l) => l.includes('malformed venue message'));
    expect(logged).toHaveLength(2);
    expect(logged.every((l) => l.includes('"venue":"v"'))).toBe(true);
  });

  it('a venue unreachable at start is retried with backoff while md.status says down and why', async () => {
    const a = new ScriptedAdapter();
    a.failStarts = 1;
    const { status, registry } = await started(a);
    expect(status.at(-1)).toMatchObject({ state: 'down' });
    expect(await registry.getSingleMetricAsString('perpetua_gateway_venue_up')).toContain('venue="v"} 0');
    expect(status.at(-1)?.reason).toContain('venue unreachable');
    await waitUntil(() => a.handlers !== undefined, 5_000, 'the adapter connected', 20);
    expect(a.handlers).toBeDefined();
    await settle();
    // Connected after the downs (with no book yet, 'stale' may follow as soon as the window passes).
    const lastDown = status.map((s) => s.state).lastIndexOf('down');
    expect(status.slice(lastDown + 1).map((s) => s.state)).toContain('connected');
  });

  it('a configured symbol the venue does not list is reported, not guessed', async () => {
    const a = new ScriptedAdapter([{ ...BTC, symbol: 'ETH-PERP' }]);
    const { status, registry } = await started(a);
    expect(status.at(-1)).toMatchObject({ state: 'down' });
    expect(await registry.getSingleMetricAsString('perpetua_gateway_venue_up')).toContain('venue="v"} 0');
    expect(status.at(-1)?.reason).toContain('does not list BTC-PERP');
  });
});
