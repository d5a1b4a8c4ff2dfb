import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { subjects, type BboMessage, type BookMessage, type MarkMessage, type TradeMessage, type VenueState, type VenueStatusMessage } from '@perpetua/core';
import type { Bus } from '@perpetua/bus';
import { L2Book, BookError } from '@perpetua/book';
import type { BookEvent, MarketDataAdapter, VenueMark, VenueTrade } from '@perpetua/venues';

export interface GatewayConfig {
  symbols: string[];
  /** Levels per side in md.book. */
  depth: number;
  /** No update for this long marks a symbol's book stale. */
  staleAfterMs: number;
  /** Minimum interval between last-value writes per symbol (the KV store is not on the hot path). */
  lastValueIntervalMs: number;
}

interface SymbolState {
  book: L2Book;
  seq: number;
  lastUpdate: number;
  stale: boolean;
  lastValueAt: number;
  venueSeq?: number;
}

export const LAST_BOOKS_BUCKET = 'md-last-book';

/**
 * Market-data gateway for one venue: keeps our own L2 book per symbol from the
 * adapter's snapshots and deltas and publishes it normalized. A book is never
 * published as good when it is stale or crossed.
 */
export class GatewayService {
  private readonly state = new Map<string, SymbolState>();
  private venueState: VenueState = 'connecting';
  private reason: string | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private readonly m: {
    booksOut: Counter;
    eventsIn: Counter;
    invalid: Counter;
    applySeconds: Histogram;
    lagSeconds: Histogram;
    staleSymbols: Gauge;
  };

  constructor(
    private readonly adapter: MarketDataAdapter,
    private readonly config: GatewayConfig,
    private readonly deps: { bus: Bus; logger: Logger; registry: Registry; now?: () => number },
  ) {
    const registers = [deps.registry];
    this.m = {
      booksOut: new Counter({ name: 'perpetua_gateway_books_published_total', help: 'Books published', labelNames: ['venue'], registers }),
      eventsIn: new Counter({ name: 'perpetua_gateway_events_received_total', help: 'Venue market-data events received, by kind', labelNames: ['venue', 'kind'], registers }),
      invalid: new Counter({ name: 'perpetua_gateway_invalid_events_total', help: 'Venue events refused as invalid', labelNames: ['venue', 'kind'], registers }),
      applySeconds: new Histogram({ name: 'perpetua_gateway_book_apply_seconds', help: 'Time to apply one book event', labelNames: ['venue'], buckets: [1e-6, 5e-6, 2e-5, 1e-4, 5e-4, 2e-3], registers }),
      lagSeconds: new Histogram({ name: 'perpetua_gateway_exchange_to_publish_seconds', help: 'Exchange timestamp to publish', labelNames: ['venue'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers }),
      staleSymbols: new Gauge({ name: 'perpetua_gateway_stale_symbols', help: 'Symbols whose book is stale now', labelNames: ['venue'], registers }),
    };
  }

  private get now(): () => number {
    return this.deps.now ?? Date.now;
  }

  async start(): Promise<void> {
    for (const s of this.config.symbols) this.state.set(s, { book: new L2Book(), seq: 0, lastUpdate: 0, stale: true, lastValueAt: 0 });
    this.publishStatus('connecting');
    await this.adapter.start(this.config.symbols, {
      onBook: (e) => this.onBook(e),
      onTrade: (t) => this.onTrade(t),
      onMark: (m) => this.onMark(m),
      onStatus: (state, reason) => this.publishStatus(state, reason),
    });
    const every = Math.max(50, Math.floor(this.config.staleAfterMs / 4));
    this.staleTimer = setInterval(() => this.checkStale(), every);
    this.staleTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.staleTimer) clearInterval(this.staleTimer);
    await this.adapter.close();
    this.publishStatus('down', 'gateway stopped');
  }

  private onBook(e: BookEvent): void {
    const venue = this.adapter.venue;
    const st = this.state.get(e.symbol);
    this.m.eventsIn.inc({ venue, kind: e.kind });
    if (!st) return;
    const t0 = performance.now();
    try {
      if (e.kind === 'snapshot') st.book.applySnapshot(e.bids, e.asks);
      else st.book.applyDelta({ bids: e.bids, asks: e.asks });
    } catch (err) {
      if (!(err instanceof BookError)) throw err;
      this.m.invalid.inc({ venue, kind: 'book' });
      this.deps.logger.warn({ venue, symbol: e.symbol, err: err.message }, 'invalid book event refused');
      return;
    }
    this.m.applySeconds.observe({ venue }, (performance.now() - t0) / 1000);
    st.lastUpdate = this.now();
    st.venueSeq = e.venueSeq;
    const wasStale = st.stale;
    st.stale = false;
    if (st.book.isCrossed()) {
      // Never publish a crossed book as good: flag it and wait for the venue to fix it.
      this.m.invalid.inc({ venue, kind: 'crossed' });
      st.stale = true;
      return;
    }
    this.publishBook(e.symbol, st, e.tsExchange, e.tsReceived);
    if (wasStale) this.checkStale();
  }

  private publishBook(symbol: string, st: SymbolState, tsExchange: number, tsReceived: number): void {
    const venue = this.adapter.venue;
    const top = st.book.topN(this.config.depth);
    const now = this.now();
    st.seq++;
    const msg: BookMessage = {
      venue,
      symbol,
      seq: st.seq,
      venueSeq: st.venueSeq,
      bids: top.bids,
      asks: top.asks,
      tsExchange,
      tsReceived,
      tsPublished: now,
      stale: st.stale,
      trace: { venue: tsExchange, 'gw.recv': tsReceived },
    };
    this.deps.bus.publish(subjects.book(venue, symbol), msg);
    const bbo: BboMessage = { venue, symbol, seq: st.seq, bid: top.bids[0] ?? null, ask: top.asks[0] ?? null, tsExchange, tsReceived, tsPublished: now, stale: st.stale };
    this.deps.bus.publish(subjects.bbo(venue, symbol), bbo);
    this.m.booksOut.inc({ venue });
    this.m.lagSeconds.observe({ venue }, Math.max(0, now - tsExchange) / 1000);
    if (now - st.lastValueAt >= this.config.lastValueIntervalMs || st.stale) {
      st.lastValueAt = now;
      this.deps.bus.putLast(LAST_BOOKS_BUCKET, `${venue}.${symbol}`, msg).catch((err: unknown) => this.deps.logger.warn({ err }, 'last-value write failed'));
    }
  }

  private onTrade(t: VenueTrade): void {
    const venue = this.adapter.venue;
    this.m.eventsIn.inc({ venue, kind: 'trade' });
    const msg: TradeMessage = { venue, symbol: t.symbol, tradeId: t.tradeId, price: t.price, size: t.size, side: t.side, tsExchange: t.tsExchange, tsReceived: t.tsReceived, tsPublished: this.now() };
    this.deps.bus.publish(subjects.trade(venue, t.symbol), msg);
  }

  private onMark(mk: VenueMark): void {
    const venue = this.adapter.venue;
    this.m.eventsIn.inc({ venue, kind: 'mark' });
    const msg: MarkMessage = { venue, symbol: mk.symbol, markPrice: mk.markPrice, indexPrice: mk.indexPrice, fundingRate: mk.fundingRate, nextFundingTime: mk.nextFundingTime, tsExchange: mk.tsExchange, tsReceived: mk.tsReceived, tsPublished: this.now() };
    this.deps.bus.publish(subjects.mark(venue, mk.symbol), msg);
  }

  /** Marks books stale after the configured silence, and publishes them flagged so no one quotes from them. */
  private checkStale(): void {
    const now = this.now();
    const staleSymbols: string[] = [];
    for (const [symbol, st] of this.state) {
      const silent = st.lastUpdate === 0 || now - st.lastUpdate > this.config.staleAfterMs;
      if (silent && !st.stale) {
        st.stale = true;
        if (st.book.levelCount > 0) this.publishBook(symbol, st, st.lastUpdate, st.lastUpdate);
      }
      if (st.stale) staleSymbols.push(symbol);
    }
    this.m.staleSymbols.set({ venue: this.adapter.venue }, staleSymbols.length);
    const wanted: VenueState = this.venueState === 'down' || this.venueState === 'resyncing' ? this.venueState : staleSymbols.length > 0 && this.venueState !== 'connecting' ? 'stale' : this.venueState === 'stale' ? 'connected' : this.venueState;
    if (wanted !== this.venueState || staleSymbols.length > 0) this.publishStatus(wanted, staleSymbols.length > 0 ? `no update for ${this.config.staleAfterMs} ms` : undefined, staleSymbols);
  }

  private publishStatus(state: VenueState, reason?: string, staleSymbols: string[] = []): void {
    const changed = state !== this.venueState || reason !== this.reason;
    this.venueState = state;
    this.reason = reason;
    if (!changed && staleSymbols.length === 0) return;
    const msg: VenueStatusMessage = { venue: this.adapter.venue, state, reason, staleSymbols, ts: this.now() };
    this.deps.bus.publish(subjects.status(this.adapter.venue), msg);
    if (changed) this.deps.logger.info({ venue: msg.venue, state, reason }, 'venue status');
  }

  /** Whether every symbol has a fresh book (readiness). */
  isReady(): boolean {
    return [...this.state.values()].every((s) => !s.stale);
  }
}
