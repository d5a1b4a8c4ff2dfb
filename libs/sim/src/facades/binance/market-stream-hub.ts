import type { SimBookEvent, SimLevel, SimMark, SimMarketEvent, SimTrade, VenueEngine } from '../../engine/types.js';
import {
  type TopOfBook,
  aggTradeEvent,
  bookTickerEvent,
  depthUpdate,
  markPriceEvent,
  topOfBook,
  tradeEvent,
} from './market-wire.js';
import { comparePriceText } from '../price-text-order.js';
import { type ParsedStream, parseStreamName, streamKey } from './stream-names.js';
import type { BinanceSymbols } from './symbols.js';
import type { WsSession } from './ws-session.js';

/** The book events of one symbol since the last flush, in order. */
interface PendingDepth {
  first: SimBookEvent;
  last: SimBookEvent;
  /** Every event after the first (rare: one engine step makes one event per symbol). */
  more: SimBookEvent[] | undefined;
}

/** The routing keys of one symbol's streams, built once (flush looks them up for every book event). */
interface SymbolKeys {
  depth: string;
  partialDepth: ReadonlyArray<readonly [5 | 10 | 20, string]>;
  bookTicker: string;
  trade: string;
  aggTrade: string;
  markPrice: Readonly<Record<1000 | 3000, string>>;
  /** lastMarkSent keys. */
  markThrottle: Readonly<Record<1000 | 3000, string>>;
}

const ALL_BOOK_TICKER_KEY = streamKey('*', { kind: 'bookTicker' });
const ALL_MARK_PRICE_KEYS: Readonly<Record<1000 | 3000, string>> = {
  1000: streamKey('*', { kind: 'markPrice', everyMs: 1000 }),
  3000: streamKey('*', { kind: 'markPrice', everyMs: 3000 }),
};

function symbolKeys(vs: string): SymbolKeys {
  return {
    depth: streamKey(vs, { kind: 'depth' }),
    partialDepth: ([5, 10, 20] as const).map((levels) => [levels, streamKey(vs, { kind: 'partialDepth', levels })] as const),
    bookTicker: streamKey(vs, { kind: 'bookTicker' }),
    trade: streamKey(vs, { kind: 'trade' }),
    aggTrade: streamKey(vs, { kind: 'aggTrade' }),
    markPrice: { 1000: streamKey(vs, { kind: 'markPrice', everyMs: 1000 }), 3000: streamKey(vs, { kind: 'markPrice', everyMs: 3000 }) },
    markThrottle: { 1000: `${vs}|1000`, 3000: `${vs}|3000` },
  };
}

/**
 * Turns the engine's market events into Binance market streams. Events are buffered and
 * flushed once per event-loop turn, so the book changes of one engine step go out as one
 * depthUpdate per symbol whose U/u/pu are the engine's update ids (no gaps by construction).
 */
export class MarketStreamHub {
  /** routing key → stream name as subscribed → sessions. */
  private readonly routes = new Map<string, Map<string, Set<WsSession>>>();
  private readonly depth = new Map<string, PendingDepth>();
  private trades: SimTrade[] = [];
  private readonly marks = new Map<string, SimMark>();
  private readonly lastMarkSent = new Map<string, number>();
  private readonly lastTop = new Map<string, TopOfBook>();
  private flushScheduled: NodeJS.Immediate | undefined;
  /** Venue symbol and stream keys by canonical symbol. */
  private readonly keys = new Map<string, { vs: string; keys: SymbolKeys }>();

  constructor(
    private readonly engine: VenueEngine,
    private readonly symbols: BinanceSymbols,
  ) {}

  /** Parses and validates a stream name; undefined if the façade does not serve it. */
  parse(name: string): ParsedStream | undefined {
    const p = parseStreamName(name);
    if (!p) return undefined;
    if (p.venueSymbol !== '*' && !this.symbols.instrument(p.venueSymbol)) return undefined;
    return p;
  }

  subscribe(session: WsSession, name: string, parsed: ParsedStream): void {
    let byName = this.routes.get(parsed.key);
    if (!byName) {
      byName = new Map();
      this.routes.set(parsed.key, byName);
    }
    let sessions = byName.get(name);
    if (!sessions) {
      sessions = new Set();
      byName.set(name, sessions);
    }
    sessions.add(session);
    session.streams.add(name);
  }

  unsubscribe(session: WsSession, name: string): void {
    session.streams.delete(name);
    const parsed = parseStreamName(name);
    if (!parsed) return;
    const byName = this.routes.get(parsed.key);
    const sessions = byName?.get(name);
    sessions?.delete(session);
    if (sessions && sessions.size === 0) byName?.delete(name);
    if (byName && byName.size === 0) this.routes.delete(parsed.key);
  }

  removeSession(session: WsSession): void {
    for (const name of [...session.streams]) this.unsubscribe(session, name);
  }

  onEvent(event: SimMarketEvent): void {
    switch (event.type) {
      case 'book':
        this.addDepth(event);
        break;
      case 'trade':
        this.trades.push(event);
        break;
      case 'mark':
        this.marks.set(event.symbol, event);
        break;
      case 'status':
        return;
    }
    this.scheduleFlush();
  }

  close(): void {
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = undefined;
    this.routes.clear();
  }

  private addDepth(e: SimBookEvent): void {
    const pending = this.depth.get(e.symbol);
    if (!pending) {
      this.depth.set(e.symbol, { first: e, last: e, more: undefined });
      return;
    }
    pending.last = e;
    (pending.more ??= []).push(e);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = setImmediate(() => {
      this.flushScheduled = undefined;
      this.flush();
    });
  }

  private flush(): void {
    const depth = [...this.depth.values()];
    this.depth.clear();
    const trades = this.trades;
    this.trades = [];
    const marks = [...this.marks.values()];
    this.marks.clear();

    for (const d of depth) this.flushDepth(d);
    for (const t of trades) {
      const { vs, keys } = this.keysOf(t.symbol);
      if (this.routes.has(keys.trade)) this.publish(keys.trade, tradeEvent(t, vs));
      if (this.routes.has(keys.aggTrade)) this.publish(keys.aggTrade, aggTradeEvent(t, vs));
    }
    for (const everyMs of [1000, 3000] as const) this.flushMarks(marks, everyMs);
  }

  private keysOf(symbol: string): { vs: string; keys: SymbolKeys } {
    let k = this.keys.get(symbol);
    if (!k) {
      const vs = this.symbols.toVenue(symbol);
      k = { vs, keys: symbolKeys(vs) };
      this.keys.set(symbol, k);
    }
    return k;
  }

  private flushDepth(d: PendingDepth): void {
    const { vs, keys } = this.keysOf(d.first.symbol);
    // One event's levels are already best-first with one entry per price (the engine's contract): sent as they are.
    const bids = d.more ? mergeLevels(d.first.bids, d.more, 'bids', -1) : d.first.bids;
    const asks = d.more ? mergeLevels(d.first.asks, d.more, 'asks', 1) : d.first.asks;
    this.publish(keys.depth, depthUpdate(vs, d.first, d.last, bids, asks));
    for (const [levels, key] of keys.partialDepth) {
      if (!this.routes.has(key)) continue;
      const book = this.engine.book(d.first.symbol, levels);
      this.publish(key, depthUpdate(vs, d.first, d.last, book.bids, book.asks));
    }
    const tickerKey = keys.bookTicker;
    const allTickerKey = ALL_BOOK_TICKER_KEY;
    if (this.routes.has(tickerKey) || this.routes.has(allTickerKey)) {
      const book = this.engine.book(d.first.symbol, 1);
      const top = topOfBook(book);
      const prev = this.lastTop.get(vs);
      if (!prev || prev.bidPrice !== top.bidPrice || prev.bidQty !== top.bidQty || prev.askPrice !== top.askPrice || prev.askQty !== top.askQty) {
        this.lastTop.set(vs, top);
        const msg = bookTickerEvent(top, vs, book.lastUpdateId, d.last.ts);
        this.publish(tickerKey, msg);
        this.publish(allTickerKey, msg);
      }
    }
  }

  /** Binance pushes mark price every 3 s (or every 1 s on the @1s streams), on the world's clock. */
  private flushMarks(marks: SimMark[], everyMs: 1000 | 3000): void {
    const due: Array<ReturnType<typeof markPriceEvent>> = [];
    for (const m of marks) {
      const { vs, keys } = this.keysOf(m.symbol);
      const throttleKey = keys.markThrottle[everyMs];
      const last = this.lastMarkSent.get(throttleKey);
      if (last !== undefined && m.ts - last < everyMs) continue;
      this.lastMarkSent.set(throttleKey, m.ts);
      const msg = markPriceEvent(m, vs);
      due.push(msg);
      this.publish(keys.markPrice[everyMs], msg);
    }
    if (due.length > 0) this.publish(ALL_MARK_PRICE_KEYS[everyMs], due);
  }

  private publish(key: string, payload: unknown): void {
    const byName = this.routes.get(key);
    if (!byName) return;
    const serialized = JSON.stringify(payload);
    for (const [name, sessions] of byName) {
      for (const s of sessions) s.sendSerialized(name, serialized);
    }
  }
}

/** Several events' levels of one side as one diff: the latest size per price, best first. */
function mergeLevels(first: SimLevel[], more: SimBookEvent[], side: 'bids' | 'asks', dir: 1 | -1): SimLevel[] {
  const latest = new Map<string, string>(first);
  for (const e of more) for (const [p, q] of e[side]) latest.set(p, q);
  return [...latest].sort((a, b) => dir * comparePriceText(a[0], b[0]));
}
