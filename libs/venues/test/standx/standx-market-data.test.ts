import { afterEach, describe, expect, it } from 'vitest';
import { createSimWorld, startStandxFacade, type SimWorldImpl, type StandxFacade } from '@perpetua/sim';
import { waitUntil } from '@perpetua/testkit';
import { StandxMarketData } from '../../src/standx/standx-market-data.js';
import type { BookEvent, VenueMark, VenueTrade } from '../../src/venue-adapter.js';

/** The real StandX market-data adapter against the simulator's StandX façade, by URL only. */
let world: SimWorldImpl | undefined;
let facade: StandxFacade | undefined;
let adapter: StandxMarketData | undefined;

afterEach(async () => {
  world?.stop();
  await adapter?.close();
  await facade?.close();
  world = facade = adapter = undefined;
});

interface Seen {
  books: BookEvent[];
  trades: VenueTrade[];
  marks: VenueMark[];
  states: string[];
  invalid: string[];
}

async function started(symbols = ['BTC-PERP']): Promise<Seen> {
  world = createSimWorld({ seed: 5, clock: 'wall', venues: ['standx'] });
  facade = await startStandxFacade({ world });
  adapter = new StandxMarketData({ restBaseUrl: facade.restUrl, wsUrl: facade.wsUrl });
  const seen: Seen = { books: [], trades: [], marks: [], states: [], invalid: [] };
  world.start(20);
  await adapter.start(symbols, {
    onBook: (e) => seen.books.push(e),
    onTrade: (t) => seen.trades.push(t),
    onMark: (m) => seen.marks.push(m),
    onStatus: (s) => seen.states.push(s),
    onInvalid: (kind) => seen.invalid.push(kind),
  });
  return seen;
}

/** Whether the book equals the venue's (for a wait; expectEqualsEngine says how it differs). */
function equalsEngine(e: BookEvent, depth: number): boolean {
  try {
    expectEqualsEngine(e, depth);
    return true;
  } catch {
    return false;
  }
}

function expectEqualsEngine(e: BookEvent, depth: number): void {
  const book = world!.venue('standx').book('BTC-PERP', depth);
  expect(e.bids.slice(0, depth)).toEqual(book.bids.map(([p, q]) => [Number(p), Number(q)]));
  expect(e.asks.slice(0, depth)).toEqual(book.asks.map(([p, q]) => [Number(p), Number(q)]));
}

describe('StandX market data (against the simulator)', () => {
  it('lists instruments with tick and lot from the venue, under canonical symbols', async () => {
    world = createSimWorld({ seed: 5, venues: ['standx'] });
    facade = await startStandxFacade({ world });
    adapter = new StandxMarketData({ restBaseUrl: facade.restUrl, wsUrl: facade.wsUrl });
    const list = await adapter.instruments();
    const btc = list.find((i) => i.symbol === 'BTC-PERP')!;
    const engine = world.venue('standx').instrument('BTC-PERP')!;
    expect(btc.venueSymbol).toBe('BTC-USD');
    expect(Number(btc.tickSize)).toBe(Number(engine.tickSize));
    expect(Number(btc.lotSize)).toBe(Number(engine.lotSize));
  });

  it('sorts depth_book snapshots into a book equal to the venue book, with trades and marks', async () => {
    const seen = await started();
    await waitUntil(() => seen.books.length >= 30 && seen.trades.length > 0 && seen.marks.length > 0, 20_000, 'books, a trade and a mark');
    world!.stop();
    // The last snapshot after the world stops is the venue book as it stands.
    await waitUntil(() => equalsEngine(seen.books.at(-1)!, 20), 5_000, 'the last snapshot to equal the venue book');
    const last = seen.books.at(-1)!;
    expectEqualsEngine(last, 20);
    for (const e of seen.books) {
      for (let i = 1; i < e.bids.length; i++) expect(e.bids[i]![0]).toBeLessThan(e.bids[i - 1]![0]);
      for (let i = 1; i < e.asks.length; i++) expect(e.asks[i]![0]).toBeGreaterThan(e.asks[i - 1]![0]);
    }
    expect(seen.states[0]).toBe('connected');
    expect(seen.invalid).toEqual([]);
  });

  it('a lost message (a seq gap) keeps the connection: the next snapshot restores the book', async () => {
    const seen = await started();
    await waitUntil(() => seen.books.length >= 5, 10_000, 'first books');
    let dropped = 0;
    facade!.setTrafficHooks({
      onWsSend: (m) => {
        if (dropped < 3 && m.channel === 'depth_book') {
          dropped++;
          return null;
        }
        return m.text;
      },
    });
    const before = seen.books.length;
    await waitUntil(() => dropped === 3 && seen.books.length > before + 3, 10_000, 'books after the gaps');
    world!.stop();
    await waitUntil(() => equalsEngine(seen.books.at(-1)!, 20), 5_000, 'the last snapshot to equal the venue book');
    expectEqualsEngine(seen.books.at(-1)!, 20);
    expect(seen.states.filter((s) => s !== 'connected')).toEqual([]);
    expect(facade!.connectionStats()['127.0.0.1']?.opened).toBe(1);
  });

  it('a channel whose seq goes backwards, or a crossed book, is resubscribed on the same connection and never applied', async () => {
    const seen = await started();
    await waitUntil(() => seen.books.length >= 3, 10_000, 'first books');
    let replayed = false;
    let crossed = false;
    let lastBook: string | undefined;
    facade!.setTrafficHooks({
      onWsSend: (m) => {
        if (m.channel !== 'depth_book') return m.text;
        if (!replayed && lastBook !== undefined) {
          // An old snapshot again, with its old seq: stale.
          replayed = true;
          return lastBook;
        }
        if (replayed && !crossed) {
          crossed = true;
          const msg = JSON.parse(m.text) as { data: { bids: [string, string][]; asks: [string, string][] } };
          msg.data.bids.push(['99999999', '1']);
          return JSON.stringify(msg);
        }
        lastBook ??= m.text;
        return m.text;
      },
    });
    await waitUntil(() => seen.invalid.includes('seq_backwards') && seen.invalid.includes('crossed_book'), 10_000, 'both reported');
    const n = seen.books.length;
    await waitUntil(() => seen.books.length > n + 2, 10_000, 'books after the resubscriptions');
    for (const b of seen.books) expect(b.bids[0]![0]).toBeLessThan(b.asks[0]![0]);
    expect(adapter!.resubscribes).toBeGreaterThanOrEqual(1);
    expect(seen.states.filter((s) => s !== 'connected')).toEqual([]);
    expect(facade!.connectionStats()['127.0.0.1']?.opened).toBe(1);
  });

  it('malformed messages are reported by kind and never reach the book', async () => {
    const seen = await started();
    await waitUntil(() => seen.books.length >= 3, 10_000, 'first books');
    // A replaced message is also a lost one (its seq is gone): no resync for that, the next snapshot is whole.
    const garbage = ['not json at all', JSON.stringify({ channel: 'depth_book' })];
    let n = 0;
    facade!.setTrafficHooks({
      onWsSend: (m) => {
        if (m.channel !== 'depth_book' || n >= 4) return m.text;
        n++;
        if (n <= 2) return garbage[n - 1]!;
        // Keep seq but break the levels: a huge number and a non-numeric size.
        const msg = JSON.parse(m.text) as { data: { bids: string[][] } };
        msg.data.bids[0] = n === 3 ? ['1e400', '1'] : ['100', 'lots'];
        return JSON.stringify(msg);
      },
    });
    const before = seen.books.length;
    await waitUntil(() => seen.invalid.includes('not_json') && seen.invalid.includes('depth_book'), 5_000, 'invalid reports');
    for (const e of seen.books.slice(before)) for (const [p, q] of [...e.bids, ...e.asks]) expect(Number.isFinite(p) && Number.isFinite(q) && p > 0 && q > 0).toBe(true);
  });
});
