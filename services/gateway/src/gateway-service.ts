import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { buckets, lastValueKey, subjects, traceTimeMs, type BboMessage, type BookMessage, type DepthMessage, type Instrument, type MarkMessage, type TradeMessage, type VenueState, type VenueStatusMessage } from '@perpetua/core';
import type { Bus } from '@perpetua/bus';
import { L2Book, BookError } from '@perpetua/book';
import { ReconnectBackoff, type BookEvent, type MarketDataAdapter, type VenueMark, type VenueTrade } from '@perpetua/venues';
import { GatewayMetrics } from './gateway-metrics.js';

export interface GatewayConfig {
  symbols: string[];
  /** Levels per side in md.book. */
  depth: number;
  /** No update for this long marks a symbol's book stale. */
  staleAfterMs: number;
  /** Minimum interval between last-value writes per symbol (the KV store is not on the hot path). */
  lastValueIntervalMs: number;
  /** Also publish every book change as the venue sent it on md.depth (for recordings); off by default. */
  publishDepth?: boolean;
}

interface SymbolState {
  book: L2Book;
  seq: number;
  lastUpdate: number;
  stale: boolean;
  /** After a resync, deltas wait for the venue's next snapshot. */
  awaitingSnapshot: boolean;
  lastValueAt: number;
  venueSeq?: number;
}

export const LAST_BOOKS_BUCKET = buckets.lastBook;

/**
 * Market-data gateway for one venue: keeps our own L2 book per symbol from the
 * adapter's snapshots and deltas and publishes it normalized. A book is never
 * published as good when it is stale, crossed, or waiting for a snapshot after
 * a resync. The venue's instruments go to the `md-instruments` bucket for the
 * services that snap prices (quoter, routers). A venue that cannot be reached at
 * start is retried with backoff while the status says why.
 */
export class GatewayService {
  private readonly state = new Map<string, SymbolState>();
  private venueState: VenueState = 'connecting';
  private reason: string | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private lastStaleCheck = 0;
  private readonly m: GatewayMetrics;
  private readonly invalidKindsLogged = new Set<string>();
  private stopped = false;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly adapter: MarketDataAdapter,
    private readonly config: GatewayConfig,
    private readonly deps: {
      bus: Bus;
      logger: Logger;
      registry: Registry;
      now?: () => number;
      /** When the venue's gateways share its symbols: whether this one publishes `symbol` now (default all). */
      owns?: (symbol: string) => boolean;
    },
  ) {
    this.m = GatewayMetrics.of(deps.registry);
  }

  private get now(): () => number {
    return this.deps.now ?? Date.now;
  }

  private get venue(): string {
    return this.adapter.venue;
  }

  /** Books are kept for every symbol (warm for a takeover); only the ones this gateway holds are published. */
  private publishes(symbol: string): boolean {
    return this.deps.owns?.(symbol) ?? true;
  }

  /**
   * The symbols this gateway holds changed: a gained symbol's book goes out at
   * once (the others' last one may be seconds old), not at the venue's next change.
   */
  shareChanged(held: ReadonlySet<string>): void {
    for (const [symbol, st] of this.state) {
      this.m.symbolHeld.set({ venue: this.venue, symbol }, held.has(symbol) ? 1 : 0);
      if (held.has(symbol) && this.publishes(symbol) && st.book.levelCount > 0) this.publishBook(symbol, st, st.lastUpdate, st.lastUpdate);
    }
  }

  /** Starts the staleness clock and the first connection attempt; resolves once that attempt has succeeded or failed. */
  async start(): Promise<void> {
    for (const s of this.config.symbols) this.state.set(s, { book: new L2Book(), seq: 0, lastUpdate: 0, stale: true, awaitingSnapshot: false, lastValueAt: 0 });
    this.publishStatus('connecting');
    const every = Math.max(50, Math.floor(this.config.staleAfterMs / 4));
    this.lastStaleCheck = this.now();
    this.staleTimer = setInterval(() => this.checkStale(), every);
    this.staleTimer.unref();
    await this.connect(new ReconnectBackoff(500, 30_000));
  }

  private connect(backoff: ReconnectBackoff): Promise<void> {
    this.connecting = (async () => {
      try {
        await this.publishInstruments(await this.adapter.instruments());
        await this.adapter.start(this.config.symbols, {
          onBook: (e) => this.onBook(e),
          onTrade: (t) => this.onTrade(t),
          onMark: (mk) => this.onMark(mk),
          onStatus: (state, reason) => this.onAdapterStatus(state, reason),
          onInvalid: (kind, detail) => this.onInvalid(kind, detail),
        });
      } catch (err) {
        if (this.stopped) return;
        const delay = backoff.nextDelayMs();
        const reason = `${err instanceof Error ? err.message : String(err)}`.slice(0, 300);
        this.publishStatus('down', `${reason}; retrying in ${delay} ms`);
        this.retryTimer = setTimeout(() => void this.connect(backoff), delay);
      }
    })();
    return this.connecting;
  }

  private async publishInstruments(instruments: Instrument[]): Promise<void> {
    const listed = new Map(instruments.map((i) => [i.symbol, i]));
    const missing = this.config.symbols.filter((s) => !listed.has(s));
    if (missing.length > 0) throw new Error(`${this.venue} does not list ${missing.join(', ')} (it lists ${[...listed.keys()].slice(0, 20).join(', ')})`);
    for (const s of this.config.symbols) await this.deps.bus.putLast(buckets.instruments, lastValueKey(this.venue, s), listed.get(s)!);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.staleTimer);
    clearTimeout(this.retryTimer);
    await this.connecting;
    await this.adapter.close();
    this.publishStatus('down', 'gateway stopped');
  }

  private onBook(e: BookEvent): void {
    const receivedHr = traceTimeMs();
    const venue = this.venue;
    const st = this.state.get(e.symbol);
    this.m.eventsIn.inc({ venue, kind: e.kind });
    if (!st) return;
    if (this.config.publishDepth) this.publishDepth(e);
    if (e.kind === 'delta') {
      if (st.awaitingSnapshot) return;
      if (e.prevVenueSeq !== undefined && st.venueSeq !== undefined && e.prevVenueSeq !== st.venueSeq) {
        // A gap the adapter did not catch: nothing built on this book is trustworthy until a new snapshot.
        this.m.invalid.inc({ venue, kind: 'sequence_gap' });
        this.invalidate(e.symbol, st, `sequence gap: had ${st.venueSeq}, delta follows ${e.prevVenueSeq}`, true);
        return;
      }
    }
    const t0 = performance.now();
    try {
      if (e.kind === 'snapshot') st.book.applySnapshot(e.bids, e.asks);
      else if (e.bids.length + e.asks.length === 1) {
        // The usual venue delta, one price changed: the book's fast path, validated the same.
        const [side, level] = e.bids.length === 1 ? (['bid', e.bids[0]!] as const) : (['ask', e.asks[0]!] as const);
        st.book.applyLevel(side, level[0], level[1]);
      } else st.book.applyDelta({ bids: e.bids, asks: e.asks });
    } catch (err) {
      if (!(err instanceof BookError)) throw err;
      this.onInvalid('book', err.message);
      return;
    }
    this.m.applySeconds.observe({ venue }, (performance.now() - t0) / 1000);
    if (e.kind === 'snapshot') st.awaitingSnapshot = false;
    st.lastUpdate = this.now();
    st.venueSeq = e.venueSeq;
    const wasStale = st.stale;
    st.stale = st.book.isCrossed();
    if (st.stale) this.m.invalid.inc({ venue, kind: 'crossed' });
    this.publishBook(e.symbol, st, e.tsExchange, e.tsReceived, receivedHr);
    if (wasStale && !st.stale) this.checkStale();
  }

  /** The change as the venue sent it, before our book applies or refuses it: a recording keeps the venue's truth. */
  private publishDepth(e: BookEvent): void {
    if (!this.publishes(e.symbol)) return;
    const msg: DepthMessage = { venue: this.venue, symbol: e.symbol, type: e.kind, bids: e.bids, asks: e.asks, venueSeq: e.venueSeq, prevVenueSeq: e.kind === 'delta' ? e.prevVenueSeq : undefined, tsExchange: e.tsExchange, tsReceived: e.tsReceived };
    this.deps.bus.publish(subjects.depth(this.venue, e.symbol), msg);
    this.m.published.inc({ venue: this.venue, kind: 'depth' });
  }

  /** Flags a symbol's book as not good until the venue sends a fresh snapshot. */
  private invalidate(symbol: string, st: SymbolState, reason: string, askVenue: boolean): void {
    st.awaitingSnapshot = true;
    if (!st.stale) {
      st.stale = true;
      if (st.book.levelCount > 0) this.publishBook(symbol, st, st.lastUpdate, st.lastUpdate);
    }
    this.m.resyncs.inc({ venue: this.venue });
    this.deps.logger.warn({ venue: this.venue, symbol, reason }, 'book invalidated, waiting for a snapshot');
    if (askVenue) this.adapter.resync?.(symbol, reason);
  }

  private publishBook(symbol: string, st: SymbolState, tsExchange: number, tsReceived: number, receivedHr?: number): void {
    if (!this.publishes(symbol)) return;
    const venue = this.venue;
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
      // gw.hr: the sub-ms receipt stamp the quoter's tick-to-intent histogram starts from.
      trace: receivedHr === undefined ? { venue: tsExchange, 'gw.recv': tsReceived } : { venue: tsExchange, 'gw.recv': tsReceived, 'gw.hr': receivedHr },
    };
    this.deps.bus.publish(subjects.book(venue, symbol), msg);
    const bbo: BboMessage = { venue, symbol, seq: st.seq, bid: top.bids[0] ?? null, ask: top.asks[0] ?? null, tsExchange, tsReceived, tsPublished: now, stale: st.stale };
    this.deps.bus.publish(subjects.bbo(venue, symbol), bbo);
    this.m.published.inc({ venue, kind: 'book' });
    this.m.lagSeconds.observe({ venue }, Math.max(0, now - tsExchange) / 1000);
    if (now - st.lastValueAt >= this.config.lastValueIntervalMs || st.stale) {
      st.lastValueAt = now;
      const [bid, ask] = [top.bids[0]?.[0], top.asks[0]?.[0]];
      if (bid !== undefined && ask !== undefined && bid > 0 && !st.stale) this.m.spreadBps.set({ venue, symbol }, ((ask - bid) / ((ask + bid) / 2)) * 10_000);
      this.deps.bus.putLast(LAST_BOOKS_BUCKET, lastValueKey(venue, symbol), msg).catch((err: unknown) => this.deps.logger.warn({ err }, 'last-value write failed'));
    }
  }

  private onTrade(t: VenueTrade): void {
    const venue = this.venue;
    this.m.eventsIn.inc({ venue, kind: 'trade' });
    if (this.state.has(t.symbol) && !this.publishes(t.symbol)) return;
    if (!this.state.has(t.symbol) || !(t.price > 0) || !(t.size > 0) || !Number.isFinite(t.price) || !Number.isFinite(t.size)) return this.onInvalid('trade', `bad trade ${t.tradeId}`);
    const msg: TradeMessage = { venue, symbol: t.symbol, tradeId: t.tradeId, price: t.price, size: t.size, side: t.side, tsExchange: t.tsExchange, tsReceived: t.tsReceived, tsPublished: this.now() };
    this.deps.bus.publish(subjects.trade(venue, t.symbol), msg);
    this.m.published.inc({ venue, kind: 'trade' });
  }

  private onMark(mk: VenueMark): void {
    const venue = this.venue;
    this.m.eventsIn.inc({ venue, kind: 'mark' });
    if (this.state.has(mk.symbol) && !this.publishes(mk.symbol)) return;
    if (!this.state.has(mk.symbol) || !(mk.markPrice > 0) || !Number.isFinite(mk.markPrice)) return this.onInvalid('mark', `bad mark for ${mk.symbol}`);
    const msg: MarkMessage = { venue, symbol: mk.symbol, markPrice: mk.markPrice, indexPrice: mk.indexPrice, fundingRate: mk.fundingRate, nextFundingTime: mk.nextFundingTime, tsExchange: mk.tsExchange, tsReceived: mk.tsReceived, tsPublished: this.now() };
    this.deps.bus.publish(subjects.mark(venue, mk.symbol), msg);
    this.m.published.inc({ venue, kind: 'mark' });
  }

  private onAdapterStatus(state: 'connected' | 'resyncing' | 'down', reason?: string): void {
    if (this.stopped) return; // the adapter closing on stop() is no news
    if (state === 'connected') {
      if (this.venueState === 'resyncing' || this.venueState === 'down') this.m.reconnects.inc({ venue: this.venue });
      // Books still waiting for data turn the state to 'stale' at the next check if nothing arrives in time.
      this.publishStatus('connected', reason);
      return;
    }
    // The connection is gone or being rebuilt: every book waits for a fresh snapshot.
    for (const [symbol, st] of this.state) if (!st.awaitingSnapshot) this.invalidate(symbol, st, reason ?? state, false);
    this.publishStatus(state, reason, [...this.state.keys()]);
  }

  /** Counts a malformed venue message and logs the first of each kind, naming the venue. */
  private onInvalid(kind: string, detail: string): void {
    this.m.invalid.inc({ venue: this.venue, kind });
    if (this.invalidKindsLogged.has(kind)) return;
    this.invalidKindsLogged.add(kind);
    this.deps.logger.warn({ venue: this.venue, kind, detail: detail.slice(0, 200) }, 'malformed venue message refused (logged once per kind)');
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
    this.m.staleSeconds.inc({ venue: this.venue }, (staleSymbols.length * Math.max(0, now - this.lastStaleCheck)) / 1000);
    this.lastStaleCheck = now;
    this.m.staleSymbols.set({ venue: this.venue }, staleSymbols.length);
    let wanted = this.venueState;
    if (this.venueState === 'connected' && staleSymbols.length > 0) wanted = 'stale';
    else if (this.venueState === 'stale' && staleSymbols.length === 0) wanted = 'connected';
    const reason = wanted === 'stale' ? `no good book for ${this.config.staleAfterMs} ms` : wanted === 'connected' ? undefined : this.reason;
    if (wanted !== this.venueState || (wanted === 'stale' && staleSymbols.length > 0)) this.publishStatus(wanted, reason, staleSymbols);
  }

  private publishStatus(state: VenueState, reason?: string, staleSymbols: string[] = []): void {
    const changed = state !== this.venueState || reason !== this.reason;
    this.venueState = state;
    this.reason = reason;
    this.m.venueUp.set({ venue: this.venue }, state === 'connected' || state === 'stale' ? 1 : 0);
    if (!changed && staleSymbols.length === 0) return;
    const msg: VenueStatusMessage = { venue: this.venue, state, reason, staleSymbols, ts: this.now() };
    this.deps.bus.publish(subjects.status(this.venue), msg);
    this.m.published.inc({ venue: this.venue, kind: 'status' });
    if (changed) this.deps.logger.info({ venue: msg.venue, state, reason }, 'venue status');
  }

  get status(): VenueState {
    return this.venueState;
  }

  /** Whether every symbol has a fresh book (readiness). */
  isReady(): boolean {
    return [...this.state.values()].every((s) => !s.stale);
  }
}
