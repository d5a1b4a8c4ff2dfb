import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { L2Book } from '@perpetua/book';
import { createSimWorld, GRVT_DIALECT_PRESETS, startGrvtFacade, type GrvtDialectInput, type GrvtFacade, type GrvtWsOutgoing, type SimWorldImpl } from '@perpetua/sim';
import { holdsFor, waitUntil } from '@perpetua/testkit';
import { GrvtMarketData } from '../../src/grvt/grvt-market-data.js';
import type { BookEvent, VenueMark, VenueTrade } from '../../src/venue-adapter.js';

/** The real GRVT market-data adapter against the simulator's GRVT façade, by URL only. */
let world: SimWorldImpl | undefined;
let facade: GrvtFacade | undefined;
let adapter: GrvtMarketData | undefined;
let server: Server | undefined;

afterEach(async () => {
  world?.stop();
  await adapter?.close();
  await facade?.close();
  if (server) await new Promise((r) => server!.close(r));
  world = facade = adapter = server = undefined;
});

interface Seen {
  books: BookEvent[];
  trades: VenueTrade[];
  marks: VenueMark[];
  states: Array<{ state: string; reason?: string }>;
  invalid: string[];
  /** Our own book, built from the adapter's events exactly as a gateway would. */
  book: L2Book;
  snapshots: number;
  /** Deltas whose prevVenueSeq did not follow the last event's venueSeq (must stay 0). */
  breaks: number;
}

async function started(symbols = ['BTC-PERP', 'ETH-PERP'], dialect: GrvtDialectInput = {}): Promise<Seen> {
  world = createSimWorld({ seed: 7, clock: 'wall', venues: ['grvt'] });
  facade = await startGrvtFacade({ world, dialect });
  adapter = new GrvtMarketData({ marketDataUrl: facade.marketDataUrl, marketDataWsUrl: facade.marketDataWsUrl, bookRateMs: 50 });
  const seen: Seen = { books: [], trades: [], marks: [], states: [], invalid: [], book: new L2Book(), snapshots: 0, breaks: 0 };
  let lastSeq: number | undefined;
  world.start(20);
  await adapter.start(symbols, {
    onBook: (e) => {
      seen.books.push(e);
      if (e.symbol !== 'BTC-PERP') return;
      if (e.kind === 'snapshot') {
        seen.book.applySnapshot(e.bids, e.asks);
        seen.snapshots++;
      } else {
        if (e.prevVenueSeq !== lastSeq) seen.breaks++;
        seen.book.applyDelta({ bids: e.bids, asks: e.asks });
      }
      lastSeq = e.venueSeq;
    },
    onTrade: (t) => seen.trades.push(t),
    onMark: (m) => seen.marks.push(m),
    onStatus: (state, reason) => seen.states.push({ state, reason }),
    onInvalid: (kind) => seen.invalid.push(kind),
  });
  return seen;
}

/** Stops the world, waits for the last delta (every 50 ms) to bring our book level with the engine's, and compares them. */
async function expectBookEqualsEngine(seen: Seen): Promise<void> {
  world!.stop();
  const engine = world!.venue('grvt').book('BTC-PERP', 20);
  const asNumbers = (side: ReadonlyArray<readonly [string, string]>) => side.map(([p, q]) => [Number(p), Number(q)]);
  const level = () => JSON.stringify(seen.book.topN(20)) === JSON.stringify({ bids: asNumbers(engine.bids), asks: asNumbers(engine.asks) });
  await waitUntil(level, 3_000, () => `our book level with the stopped engine's (top 3: ours ${JSON.stringify(seen.book.topN(3))}, engine ${JSON.stringify(world!.venue('grvt').book('BTC-PERP', 3))})`);
  const ours = seen.book.topN(20);
  expect(ours.bids).toEqual(engine.bids.map(([p, q]) => [Number(p), Number(q)]));
  expect(ours.asks).toEqual(engine.asks.map(([p, q]) => [Number(p), Number(q)]));
  expect(ours.bids.length).toBeGreaterThan(0);
}

const isBookDelta = (m: GrvtWsOutgoing): boolean => m.stream === 'v1.book.d' && m.sequenceNumber !== '0' && m.selector?.startsWith('BTC_') === true;

describe('GRVT market data (against the simulator façade)', () => {
  it('lists BTC-PERP and ETH-PERP with the engine tick and lot, as exact decimal text', async () => {
    world = createSimWorld({ seed: 7, venues: ['grvt'] });
    facade = await startGrvtFacade({ world });
    adapter = new GrvtMarketData({ marketDataUrl: `${facade.marketDataUrl}/` });
    const list = await adapter.instruments();
    expect(list.map((i) => i.symbol).sort()).toEqual(['BTC-PERP', 'ETH-PERP']);
    for (const symbol of ['BTC-PERP', 'ETH-PERP']) {
      const inst = list.find((i) => i.symbol === symbol)!;
      const engine = world.venue('grvt').instrument(symbol)!;
      expect(inst.venueSymbol).toBe(symbol.replace('-PERP', '_USDT_Perp'));
      expect(inst.quote).toBe('USDT');
      expect(inst.tickSize).toBe(engine.tickSize);
      expect(inst.lotSize).toBe(engine.lotSize);
      expect(inst.minQty).toBe(engine.minQty);
    }
  });

  /** Where GRVT's docs are silent, every reading the simulator can play (grvt-dialect.ts). */
  describe.each(Object.entries(GRVT_DIALECT_PRESETS))('in the %s dialect', (_name, dialect) => {
  it('snapshot + deltas rebuild the engine book exactly, with trades and marks', async () => {
    const startedAt = Date.now();
    const seen = await started(undefined, dialect);
    await waitUntil(() => seen.books.filter((e) => e.kind === 'delta' && e.symbol === 'BTC-PERP').length >= 30 && seen.trades.length > 0 && seen.marks.length > 0, 20_000, 'deltas, a trade and a mark');
    await expectBookEqualsEngine(seen);
    expect(seen.snapshots).toBe(1);
    expect(seen.breaks).toBe(0);
    expect(seen.books[0]!.kind).toBe('snapshot');
    expect(seen.books.some((e) => e.symbol === 'ETH-PERP')).toBe(true);
    const now = Date.now();
    for (const e of seen.books) expect(Math.abs(e.tsExchange - now)).toBeLessThan(60_000); // nanoseconds became ms
    const trade = seen.trades[0]!;
    expect(['BTC-PERP', 'ETH-PERP']).toContain(trade.symbol);
    expect(trade.price).toBeGreaterThan(0);
    expect(trade.size).toBeGreaterThan(0);
    expect(['buy', 'sell']).toContain(trade.side);
    const mark = seen.marks.find((m) => m.symbol === 'BTC-PERP')!;
    const engineMark = world!.venue('grvt').mark('BTC-PERP');
    expect(mark.markPrice).toBeGreaterThan(0);
    expect(mark.indexPrice).toBeGreaterThan(0);
    expect(mark.fundingRate).toBeCloseTo(Number(engineMark.fundingRate), 12); // percent on the wire, fraction here
    expect(mark.nextFundingTime).toBe(engineMark.nextFundingTime);
    expect(seen.states[0]!.state).toBe('connected');
    expect(seen.invalid).toEqual([]);
    // No resync at all: whatever the venue's counting, an unbroken feed is never taken for a gap.
    expect(seen.states.filter((s) => s.state !== 'connected')).toEqual([]);
    // A trade backlog (sequence 0) is history from before the start: none of it is reported, nothing twice.
    expect(new Set(seen.trades.map((t) => t.tradeId)).size).toBe(seen.trades.length);
    for (const t of seen.trades) expect(t.tsExchange).toBeGreaterThanOrEqual(startedAt - 1);
  });

  it('a dropped book.d message (sequence gap) resyncs that book from a fresh snapshot', async () => {
    const seen = await started(undefined, dialect);
    await waitUntil(() => seen.books.filter((e) => e.kind === 'delta').length >= 5, 10_000, 'first deltas');
    let dropped = false;
    facade!.setTrafficHooks({
      onWsSend: (m) => {
        if (!dropped && isBookDelta(m)) {
          dropped = true;
          return null;
        }
        return m.text;
      },
    });
    await waitUntil(() => seen.states.some((s) => s.state === 'resyncing'), 5_000, 'resyncing after the gap');
    expect(seen.states.find((s) => s.state === 'resyncing')!.reason).toMatch(/BTC-PERP: sequence gap/);
    await waitUntil(() => seen.snapshots === 2 && seen.states.at(-1)!.state === 'connected', 5_000, 'a fresh snapshot');
    const deltasAfter = seen.books.length;
    await waitUntil(() => seen.books.length > deltasAfter + 5, 5_000, 'deltas after the snapshot');
    await expectBookEqualsEngine(seen);
    expect(seen.breaks).toBe(0);
    // Only the feeds were resubscribed: the connection itself stayed up.
    expect(seen.states.filter((s) => s.reason?.startsWith('socket closed'))).toEqual([]);
    expect(facade!.wsConnectionCount('market-data')).toBe(1);
  });

  it('after a reconnect, reports each public trade once: a backlog bridges the gap where the venue sends one', async () => {
    const startedAt = Date.now();
    const seen = await started(['BTC-PERP'], dialect);
    await waitUntil(() => seen.trades.length >= 3, 20_000, 'live trades');
    let dropped = false;
    let dropAt = Infinity;
    facade!.setTrafficHooks({
      onWsSend: (m) => {
        if (!dropped && m.stream === 'v1.trade' && m.sequenceNumber !== '0') {
          dropped = true;
          dropAt = Date.now();
          return { close: 4000 };
        }
        return m.text;
      },
    });
    await waitUntil(() => dropped && seen.states.at(-1)!.state === 'connected' && seen.trades.some((t) => t.tsReceived > dropAt + 200), 20_000, 'trades after the reconnect');
    world!.stop();
    // Trades go out as they happen, in order: once the engine's last one is in, so is everything sent before it.
    const last = world!.venue('grvt').recentTrades('BTC-PERP', 1)[0]!;
    await waitUntil(() => seen.trades.some((t) => t.tradeId.replace(/-\d+$/, '') === last.tradeId), 3_000, `the engine's last trade ${last.tradeId}`);
    const ids = seen.trades.map((t) => t.tradeId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of seen.trades) expect(t.tsExchange).toBeGreaterThanOrEqual(startedAt - 1);
    if ('tradeBacklog' in dialect && dialect.tradeBacklog) {
      // Every trade since the start reached us, the ones of the gap included (the backlog holds the last 50).
      const engine = world!.venue('grvt').recentTrades('BTC-PERP', 1000).filter((t) => t.ts >= startedAt);
      // GRVT trade ids carry the instrument after a dash (the façade's wire format).
      expect(new Set(ids.map((id) => id.replace(/-\d+$/, '')))).toEqual(new Set(engine.map((t) => t.tradeId)));
    }
  });
  });

  it('malformed messages are reported by kind, never applied, and the book recovers', async () => {
    const seen = await started();
    await waitUntil(() => seen.books.filter((e) => e.kind === 'delta').length >= 3, 10_000, 'first deltas');
    // Each rewrite replaces a real delta, which is therefore lost too: the adapter must resnapshot after each.
    const rewrites: Array<(text: string) => string> = [
      () => 'not json at all',
      (t) => t.replace(/"sequence_number":"\d+"/, '"sequence_number":true'),
      (t) => t.replace(/"bids":\[[^\]]*\]/, '"bids":"lots"'),
      (t) => t.replace(/"price":"[\d.]+"/, '"price":1e400'),
      (t) => t.replace(/"size":"[\d.]+"/, '"size":"-1"'),
    ];
    let snapshotSeen = true;
    let deltasSince = 0;
    let tickerBroken = false;
    facade!.setTrafficHooks({
      onWsSend: (m) => {
        if (m.stream === 'v1.ticker.s' && !tickerBroken) {
          tickerBroken = true;
          return m.text.replace(/"mark_price":"[\d.]+"/, '"mark_price":"-5"');
        }
        if (m.stream === 'v1.book.d' && m.sequenceNumber === '0') snapshotSeen = true;
        if (!isBookDelta(m) || !snapshotSeen || rewrites.length === 0 || !/"size":"[1-9]/.test(m.text)) return m.text;
        // Two good deltas after each snapshot first, so the rewritten one is parsed rather than discarded unread.
        if (++deltasSince < 3) return m.text;
        deltasSince = 0;
        snapshotSeen = false;
        return rewrites.shift()!(m.text);
      },
    });
    await waitUntil(() => rewrites.length === 0 && seen.snapshots >= 6, 15_000, 'every rewrite and the resnapshots after them');
    expect([...new Set(seen.invalid)].sort()).toEqual(['book', 'envelope', 'not_json', 'ticker']);
    expect(seen.invalid.filter((k) => k === 'book')).toHaveLength(3);
    for (const e of seen.books) {
      for (const [p, q] of [...e.bids, ...e.asks]) expect(Number.isFinite(p) && Number.isFinite(q) && p > 0 && q >= 0).toBe(true);
      if (e.kind === 'snapshot') for (const [, q] of [...e.bids, ...e.asks]) expect(q).toBeGreaterThan(0);
    }
    for (const m of seen.marks) expect(m.markPrice).toBeGreaterThan(0);
    await waitUntil(() => seen.states.at(-1)!.state === 'connected', 5_000, 'connected again');
    await expectBookEqualsEngine(seen);
    expect(seen.breaks).toBe(0);
  });

  it('close() ends the socket and every callback, and a start() that cannot connect ends too', async () => {
    const seen = await started();
    await waitUntil(() => seen.books.length >= 3 && seen.marks.length > 0, 10_000, 'first events');
    await adapter!.close();
    expect(seen.states.at(-1)!.state).toBe('down');
    const counts = [seen.books.length, seen.trades.length, seen.marks.length];
    await waitUntil(() => facade!.wsConnectionCount('market-data') === 0, 2_000, 'the façade to see the socket go');
    // The world is still running: nothing may arrive any more.
    await holdsFor(() => [seen.books.length, seen.trades.length, seen.marks.length].join() === counts.join(), 300, 'no event after close()', 10);

    // Nothing listens here (a server that refuses upgrades): start() keeps retrying until close() ends it.
    let attempts = 0;
    server = createServer((_req, res) => {
      attempts++;
      res.writeHead(503).end();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/full`;
    const stuck = new GrvtMarketData({ marketDataWsUrl: url });
    const starting = stuck.start(['BTC-PERP'], { onBook: () => undefined });
    await waitUntil(() => attempts >= 2, 5_000, 'start() to try again after a refused upgrade');
    await stuck.close();
    await expect(starting).rejects.toThrow(/closed/);
  });
});
