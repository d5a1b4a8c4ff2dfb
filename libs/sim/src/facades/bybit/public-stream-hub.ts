import type { SimInstrument, SimMarketEvent, SimTrade, VenueEngine } from '../../engine/types.js';
import { BookTopic } from './book-topic.js';
import { publicTradeWire } from './market-wire.js';
import type { BybitSymbols } from './symbols.js';
import type { PublicTopic } from './topics.js';
import type { WsSession } from '../tapped-ws-session.js';

export interface PublicHubDeps {
  engine: VenueEngine;
  symbols: BybitSymbols;
  /** Current full ticker of an instrument (same fields as REST /v5/market/tickers). */
  ticker(inst: SimInstrument): Record<string, string>;
  marketTime(): number;
}

/**
 * Bybit's linear public topics from the engine's market events: `orderbook.<depth>.<sym>` (snapshot on subscribe,
 * then deltas with `u`/`seq`), `publicTrade.<sym>` and `tickers.<sym>` (snapshot, then deltas of changed fields).
 * Events are buffered and flushed once per event-loop turn, so one engine step becomes at most one frame per topic.
 */
export class PublicStreamHub {
  private readonly routes = new Map<string, Set<WsSession>>();
  private readonly books = new Map<string, BookTopic>();
  private readonly lastTicker = new Map<string, Record<string, string>>();
  private readonly lastTradePrice = new Map<string, string>();
  private readonly lastTick = new Map<string, string>();
  private readonly dirtyBooks = new Set<string>();
  private readonly dirtyTickers = new Set<string>();
  private trades: SimTrade[] = [];
  private flushScheduled: NodeJS.Immediate | undefined;

  constructor(private readonly deps: PublicHubDeps) {}

  /** The instrument of a parsed topic, or undefined for a symbol the façade does not list. */
  instrumentOf(topic: PublicTopic): SimInstrument | undefined {
    return this.deps.symbols.instrument(topic.venueSymbol);
  }

  /** Adds a subscriber and sends it the topic's snapshot (books and tickers). */
  subscribe(session: WsSession, name: string, topic: PublicTopic, inst: SimInstrument): void {
    let sessions = this.routes.get(name);
    const first = !sessions || sessions.size === 0;
    if (!sessions) {
      sessions = new Set();
      this.routes.set(name, sessions);
    }
    sessions.add(session);
    session.topics.add(name);
    const ts = this.deps.marketTime();
    if (topic.kind === 'orderbook') {
      let book = this.books.get(name);
      if (!book) {
        book = new BookTopic(topic.venueSymbol, topic.depth);
        this.books.set(name, book);
      }
      // Unwatched topics are not kept current: the first subscriber restarts the topic from the engine's book.
      const data = first ? book.reset(this.deps.engine.book(inst.symbol, topic.depth)) : book.snapshot();
      session.send(name, { topic: name, type: 'snapshot', ts, data, cts: ts });
    } else if (topic.kind === 'tickers') {
      const t = this.deps.ticker(inst);
      this.lastTicker.set(name, t);
      session.send(name, { topic: name, type: 'snapshot', data: t, cs: this.deps.engine.book(inst.symbol, 1).lastUpdateId, ts });
    }
  }

  unsubscribe(session: WsSession, name: string): void {
    session.topics.delete(name);
    const sessions = this.routes.get(name);
    sessions?.delete(session);
    if (sessions && sessions.size === 0) this.routes.delete(name);
  }

  removeSession(session: WsSession): void {
    for (const name of [...session.topics]) this.unsubscribe(session, name);
  }

  onEvent(e: SimMarketEvent): void {
    switch (e.type) {
      case 'book':
        this.dirtyBooks.add(e.symbol);
        this.dirtyTickers.add(e.symbol);
        break;
      case 'trade':
        this.trades.push(e);
        this.dirtyTickers.add(e.symbol);
        break;
      case 'mark':
        this.dirtyTickers.add(e.symbol);
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

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = setImmediate(() => {
      this.flushScheduled = undefined;
      this.flush();
    });
  }

  private flush(): void {
    const ts = this.deps.marketTime();
    for (const [name, book] of this.books) {
      const inst = this.deps.symbols.instrument(book.venueSymbol);
      if (!inst || !this.dirtyBooks.has(inst.symbol) || !this.routes.has(name)) continue;
      const snap = this.deps.engine.book(inst.symbol, book.depth);
      const data = book.advance(snap);
      if (data) this.publish(name, { topic: name, type: 'delta', ts, data, cts: snap.ts });
    }
    this.dirtyBooks.clear();

    if (this.trades.length > 0) this.flushTrades(ts);
    if (this.dirtyTickers.size > 0) this.flushTickers(ts);
  }

  private flushTrades(ts: number): void {
    const trades = this.trades;
    this.trades = [];
    const bySymbol = new Map<string, ReturnType<typeof publicTradeWire>[]>();
    for (const t of trades) {
      const vs = this.deps.symbols.toVenue(t.symbol);
      // The tick direction is state every trade moves, watched or not.
      const direction = this.tickDirection(vs, t.price);
      if (!this.routes.has(`publicTrade.${vs}`)) continue;
      let list = bySymbol.get(vs);
      if (!list) {
        list = [];
        bySymbol.set(vs, list);
      }
      list.push(publicTradeWire(t, vs, direction));
    }
    for (const [vs, data] of bySymbol) this.publish(`publicTrade.${vs}`, { topic: `publicTrade.${vs}`, type: 'snapshot', ts, data });
  }

  private flushTickers(ts: number): void {
    for (const symbol of this.dirtyTickers) {
      const vs = this.deps.symbols.toVenue(symbol);
      const name = `tickers.${vs}`;
      const inst = this.deps.symbols.instrument(vs);
      if (!inst || !this.routes.has(name)) continue;
      const next = this.deps.ticker(inst);
      const prev = this.lastTicker.get(name) ?? {};
      const changed: Record<string, string> = { symbol: vs };
      let any = false;
      for (const [k, v] of Object.entries(next)) {
        if (prev[k] !== v) {
          changed[k] = v;
          any = true;
        }
      }
      this.lastTicker.set(name, next);
      if (any) this.publish(name, { topic: name, type: 'delta', data: changed, cs: this.deps.engine.book(symbol, 1).lastUpdateId, ts });
    }
    this.dirtyTickers.clear();
  }

  /** Bybit's tick direction: the move from the previous trade price (Zero* when unchanged, keeping the last move). */
  private tickDirection(vs: string, price: string): string {
    const prev = this.lastTradePrice.get(vs);
    this.lastTradePrice.set(vs, price);
    const last = this.lastTick.get(vs) ?? 'ZeroPlusTick';
    let tick: string;
    if (prev === undefined || prev === price) tick = last.endsWith('PlusTick') ? 'ZeroPlusTick' : 'ZeroMinusTick';
    else tick = Number(price) > Number(prev) ? 'PlusTick' : 'MinusTick';
    this.lastTick.set(vs, tick);
    return tick;
  }

  private publish(name: string, payload: unknown): void {
    const sessions = this.routes.get(name);
    if (!sessions || sessions.size === 0) return;
    const serialized = JSON.stringify(payload);
    for (const s of sessions) s.sendSerialized(name, serialized);
  }
}
