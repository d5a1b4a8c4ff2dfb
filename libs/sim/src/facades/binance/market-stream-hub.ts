import { D } from '@perpetua/core';
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
import { type ParsedStream, parseStreamName, streamKey } from './stream-names.js';
import type { BinanceSymbols } from './symbols.js';
import type { WsSession } from './ws-session.js';

interface PendingDepth {
  first: SimBookEvent;
  last: SimBookEvent;
  bids: Map<string, string>;
  asks: Map<string, string>;
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
    let pending = this.depth.get(e.symbol);
    if (!pending) {
      pending = { first: e, last: e, bids: new Map(), asks: new Map() };
      this.depth.set(e.symbol, pending);
    }
    pending.last = e;
    for (const [p, q] of e.bids) pending.bids.set(p, q);
    for (const [p, q] of e.asks) pending.asks.set(p, q);
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
      const vs = this.symbols.toVenue(t.symbol);
      this.publish(streamKey(vs, { kind: 'trade' }), tradeEvent(t, vs));
      this.publish(streamKey(vs, { kind: 'aggTrade' }), aggTradeEvent(t, vs));
    }
    for (const everyMs of [1000, 3000] as const) this.flushMarks(marks, everyMs);
  }

  private flushDepth(d: PendingDepth): void {
    const vs = this.symbols.toVenue(d.first.symbol);
    const bids = sortLevels(d.bids, -1);
    const asks = sortLevels(d.asks, 1);
    this.publish(streamKey(vs, { kind: 'depth' }), depthUpdate(vs, d.first, d.last, bids, asks));
    for (const levels of [5, 10, 20] as const) {
      const key = streamKey(vs, { kind: 'partialDepth', levels });
      if (!this.routes.has(key)) continue;
      const book = this.engine.book(d.first.symbol, levels);
      this.publish(key, depthUpdate(vs, d.first, d.last, book.bids, book.asks));
    }
    const tickerKey = streamKey(vs, { kind: 'bookTicker' });
    const allTickerKey = streamKey('*', { kind: 'bookTicker' });
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
      const vs = this.symbols.toVenue(m.symbol);
      const throttleKey = `${vs}|${everyMs}`;
      const last = this.lastMarkSent.get(throttleKey);
      if (last !== undefined && m.ts - last < everyMs) continue;
      this.lastMarkSent.set(throttleKey, m.ts);
      const msg = markPriceEvent(m, vs);
      due.push(msg);
      this.publish(streamKey(vs, { kind: 'markPrice', everyMs }), msg);
    }
    if (due.length > 0) this.publish(streamKey('*', { kind: 'markPrice', everyMs }), due);
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

function sortLevels(levels: Map<string, string>, dir: 1 | -1): SimLevel[] {
  return [...levels.entries()]
    .map(([p, q]) => ({ p, q, d: D.dec(p) }))
    .sort((a, b) => dir * D.cmp(a.d, b.d))
    .map(({ p, q }) => [p, q] as SimLevel);
}
