import {
  ArbOpportunityMessage,
  ArbStatsMessage,
  BookMessage,
  ControlAuditMessage,
  Fill,
  PositionMessage,
  QuoteIntent,
  StrategyStatsMessage,
  StrategyYieldMessage,
  RiskStateMessage,
  VenueStatusMessage,
  patterns,
  subjects,
} from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import { BoundedRing } from './bounded-ring.js';
import { RateWindow } from './rate-window.js';
import type { ArbView, MarketView, PositionView, RiskView, StrategyView, Topic, TopicViews, VenueView } from './live-views.js';

/** What the dashboard reads from the store at start (positions booked before it came up, the halt flag). */
export interface DashboardStore {
  listPositions(): Promise<{ venue: string; account: string; symbol: string; qty: string; avgEntry: string; realizedPnl: string; fees: string; funding: string; fills: number; updatedAt: number }[]>;
  getHalt(): Promise<{ halted: boolean; reason?: string; since?: number }>;
}

export interface LiveStateOptions {
  bus: Bus;
  now: () => number;
  store?: DashboardStore;
  /** Opportunity events, fills and audit entries kept for late readers. */
  historySize: number;
  /** Book levels kept per side for the depth view. */
  depthLevels?: number;
  /** Venues and markets beyond this are ignored (a bound on memory under a misbehaving publisher). */
  maxMarkets?: number;
}

interface VenueTrack {
  status: VenueStatusMessage | undefined;
  rate: RateWindow;
  lastBookAt: number | null;
  latencyMs: number | null;
}

/**
 * The dashboard's read-only picture of the system, built from the bus (and the
 * store at start). Every collection is bounded. Each topic carries a version
 * that moves when its data changes, so the push loop serializes only what changed.
 */
export class LiveState {
  private readonly subs: Subscription[] = [];
  private readonly versions = new Map<Topic, number>();
  private readonly startedAt: number;
  private updates = 0;
  private readonly updateRate = new RateWindow(10);
  private readonly venues = new Map<string, VenueTrack>();
  private readonly books = new Map<string, BookMessage>();
  private readonly openArb = new Map<string, ArbOpportunityMessage>();
  private readonly arbHistory: BoundedRing<ArbOpportunityMessage>;
  private arbStats: ArbStatsMessage | null = null;
  private arbOpened = 0;
  private risk: RiskView = { halted: false, limits: {}, usage: {}, rejects: {}, ts: 0, known: false };
  private readonly positions = new Map<string, PositionView>();
  private readonly fills: BoundedRing<Fill>;
  private readonly strategies = new Map<string, StrategyView>();
  private readonly audit: BoundedRing<ControlAuditMessage>;
  private readonly depthLevels: number;
  private readonly maxMarkets: number;

  constructor(private readonly o: LiveStateOptions) {
    this.startedAt = o.now();
    this.arbHistory = new BoundedRing(o.historySize);
    this.fills = new BoundedRing(Math.min(o.historySize, 500));
    this.audit = new BoundedRing(o.historySize);
    this.depthLevels = o.depthLevels ?? 10;
    this.maxMarkets = o.maxMarkets ?? 2000;
  }

  async start(): Promise<void> {
    const { bus } = this.o;
    this.subs.push(
      bus.subscribe(patterns.allStatus, VenueStatusMessage, (m) => this.onStatus(m)),
      bus.subscribe(patterns.allBooks, BookMessage, (m) => this.onBook(m)),
      bus.subscribe(patterns.allArbOpportunities, ArbOpportunityMessage, (m) => this.onOpportunity(m)),
      bus.subscribe(subjects.arbStats(), ArbStatsMessage, (m) => {
        this.arbStats = m;
        this.touch('arb');
      }),
      bus.subscribe(subjects.riskState(), RiskStateMessage, (m) => this.onRisk(m)),
      bus.subscribe(patterns.allPositions, PositionMessage, (m) => this.onPosition(m)),
      bus.subscribe(patterns.allFills, Fill, (m) => {
        this.fills.push(m);
        this.touch('fills');
      }),
      bus.subscribe(subjects.controlAudit(), ControlAuditMessage, (m) => this.onAudit(m)),
      bus.subscribe(patterns.allQuoteIntents, QuoteIntent, (m) => this.onQuoteIntent(m)),
      bus.subscribe(patterns.allStrategyStats, StrategyStatsMessage, (m) => this.onStrategy(m.strategy, 'stats', m, m.ts, m)),
      bus.subscribe(patterns.allStrategyYield, StrategyYieldMessage, (m) => this.onStrategy(m.strategyId, 'yield', m, m.ts)),
    );
    const store = this.o.store;
    if (store) {
      for (const p of await store.listPositions()) {
        const key = `${p.venue}.${p.account}.${p.symbol}`;
        if (!this.positions.has(key)) this.positions.set(key, { ...p, unrealizedPnl: null, mark: null, ts: p.updatedAt });
      }
      const halt = await store.getHalt();
      if (!this.risk.known) this.risk = { ...this.risk, halted: halt.halted, ...(halt.reason === undefined ? {} : { reason: halt.reason }), known: true };
      this.touch('positions');
      this.touch('risk');
    }
  }

  stop(): void {
    for (const s of this.subs.splice(0)) s.unsubscribe();
  }

  /** Strategy reports (strategy.stats / strategy.yield) arrive through here, parsed by their schemas upstream. */
  onStrategy(id: string, kind: 'stats' | 'yield', data: Record<string, unknown>, ts: number, where?: { venue: string; account: string; symbol: string }): void {
    const prev = this.strategies.get(id);
    if (!prev && this.strategies.size >= this.maxMarkets) return;
    const next: StrategyView = prev ? { ...prev, ts } : emptyStrategy(id, ts);
    next[kind] = data;
    if (where) Object.assign(next, { venue: where.venue, account: where.account, symbol: where.symbol });
    this.strategies.set(id, next);
    this.touch('strategies');
  }

  /** An audit entry this replica made: shown at once, and published for the other replicas. */
  recordAudit(entry: ControlAuditMessage): void {
    this.o.bus.publish(subjects.controlAudit(), entry);
  }

  version(topic: Topic): number {
    // meta changes every second by definition (runtime, rates).
    return topic === 'meta' ? Math.floor(this.o.now() / 1000) : (this.versions.get(topic) ?? 0);
  }

  view<T extends Topic>(topic: T): TopicViews[T] {
    const now = this.o.now();
    const views: { [K in Topic]: () => TopicViews[K] } = {
      meta: () => ({ startedAt: this.startedAt, now, updates: this.updates, updatesPerSec: this.updateRate.perSecond(now) }),
      venues: () => this.venueViews(now),
      markets: () => this.marketViews(now),
      arb: () => this.arbView(),
      risk: () => this.risk,
      positions: () => [...this.positions.values()],
      fills: () => ({ recent: this.fills.toArray().reverse() }),
      strategies: () => [...this.strategies.values()],
      audit: () => ({ entries: this.audit.toArray().reverse() }),
    };
    return views[topic]();
  }

  private touch(topic: Topic): void {
    this.versions.set(topic, (this.versions.get(topic) ?? 0) + 1);
  }

  private venue(name: string): VenueTrack | undefined {
    let v = this.venues.get(name);
    if (!v) {
      if (this.venues.size >= this.maxMarkets) return undefined;
      v = { status: undefined, rate: new RateWindow(10), lastBookAt: null, latencyMs: null };
      this.venues.set(name, v);
    }
    return v;
  }

  private onStatus(m: VenueStatusMessage): void {
    const v = this.venue(m.venue);
    if (!v) return;
    v.status = m;
    this.touch('venues');
  }

  private onBook(m: BookMessage): void {
    const now = this.o.now();
    this.updates++;
    this.updateRate.add(now);
    const v = this.venue(m.venue);
    if (!v) return;
    v.rate.add(now);
    v.lastBookAt = now;
    if (m.tsExchange > 0 && m.tsReceived >= m.tsExchange) v.latencyMs = m.tsReceived - m.tsExchange;
    const key = `${m.venue}.${m.symbol}`;
    if (!this.books.has(key) && this.books.size >= this.maxMarkets) return;
    this.books.set(key, m);
    this.touch('markets');
    this.touch('venues');
    this.revalue(m);
  }

  /** Positions on this venue and symbol are re-marked at its mid (display only). */
  private revalue(book: BookMessage): void {
    const bid = book.bids[0];
    const ask = book.asks[0];
    if (!bid || !ask || book.stale) return;
    const mid = (bid[0] + ask[0]) / 2;
    for (const p of this.positions.values()) {
      if (p.venue !== book.venue || p.symbol !== book.symbol) continue;
      p.mark = mid;
      p.unrealizedPnl = Number(p.qty) * (mid - Number(p.avgEntry));
      this.touch('positions');
    }
  }

  private onOpportunity(m: ArbOpportunityMessage): void {
    const key = `${m.symbol}.${m.buyVenue}.${m.sellVenue}`;
    if (m.event === 'closed') this.openArb.delete(key);
    else if (this.openArb.has(key) || this.openArb.size < this.maxMarkets) this.openArb.set(key, m);
    if (m.event === 'opened') this.arbOpened++;
    // History keeps lifecycle edges; 'updated' events would flood it.
    if (m.event !== 'updated') this.arbHistory.push(m);
    this.touch('arb');
  }

  private onRisk(m: RiskStateMessage): void {
    this.risk = { halted: m.halted, ...(m.reason === undefined ? {} : { reason: m.reason }), limits: m.limits, usage: m.usage, rejects: m.rejects, ts: m.ts, known: true };
    this.touch('risk');
  }

  private onPosition(m: PositionMessage): void {
    const key = `${m.venue}.${m.account}.${m.symbol}`;
    if (!this.positions.has(key) && this.positions.size >= this.maxMarkets) return;
    const book = this.books.get(`${m.venue}.${m.symbol}`);
    const bid = book?.bids[0];
    const ask = book?.asks[0];
    const mark = m.markPrice ?? (bid && ask ? (bid[0] + ask[0]) / 2 : null);
    const unrealized = m.unrealizedPnl ?? (mark === null ? null : Number(m.qty) * (mark - Number(m.avgEntry)));
    this.positions.set(key, {
      venue: m.venue,
      account: m.account,
      symbol: m.symbol,
      qty: m.qty,
      avgEntry: m.avgEntry,
      realizedPnl: m.realizedPnl,
      fees: m.fees,
      funding: m.funding,
      fills: m.fills,
      unrealizedPnl: unrealized,
      mark,
      ts: m.ts,
    });
    this.touch('positions');
  }

  private onQuoteIntent(m: QuoteIntent): void {
    const prev = this.strategies.get(m.strategy);
    if (!prev && this.strategies.size >= this.maxMarkets) return;
    this.strategies.set(m.strategy, {
      ...(prev ?? emptyStrategy(m.strategy, m.ts)),
      venue: m.venue,
      account: m.account,
      symbol: m.symbol,
      quotes: m.quotes.map((q) => ({ side: q.side, price: q.price, qty: q.qty })),
      quoteMid: m.mid ?? null,
      ts: m.ts,
    });
    this.touch('strategies');
  }

  private onAudit(m: ControlAuditMessage): void {
    this.audit.push(m);
    this.touch('audit');
  }

  private venueViews(now: number): VenueView[] {
    return [...this.venues.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([venue, v]) => ({
        venue,
        // A venue whose gateway reported nothing since this replica started, but whose books arrive fresh, is connected.
        state: v.status?.state ?? (v.lastBookAt !== null && now - v.lastBookAt < 5_000 ? 'connected' : 'unknown'),
        ...(v.status?.reason === undefined ? {} : { reason: v.status.reason }),
        staleSymbols: v.status?.staleSymbols ?? [],
        messagesPerSec: v.rate.perSecond(now),
        bookAgeMs: v.lastBookAt === null ? null : now - v.lastBookAt,
        latencyMs: v.latencyMs,
        since: v.status?.ts ?? 0,
      }));
  }

  private marketViews(now: number): MarketView[] {
    const out: MarketView[] = [];
    for (const b of this.books.values()) {
      const bid = b.bids[0];
      const ask = b.asks[0];
      const mid = bid && ask ? (bid[0] + ask[0]) / 2 : null;
      const bids = b.bids.slice(0, this.depthLevels);
      const asks = b.asks.slice(0, this.depthLevels);
      out.push({
        venue: b.venue,
        symbol: b.symbol,
        bid: bid?.[0] ?? null,
        ask: ask?.[0] ?? null,
        bidSize: bid?.[1] ?? null,
        askSize: ask?.[1] ?? null,
        mid,
        spreadPct: bid && ask && mid ? ((ask[0] - bid[0]) / mid) * 100 : null,
        bidDepth: bids.reduce((s, l) => s + l[1], 0),
        askDepth: asks.reduce((s, l) => s + l[1], 0),
        bids,
        asks,
        stale: b.stale,
        ageMs: Math.max(0, now - b.tsReceived),
      });
    }
    return out.sort((a, b) => (a.symbol === b.symbol ? (a.venue < b.venue ? -1 : 1) : a.symbol < b.symbol ? -1 : 1));
  }

  private arbView(): ArbView {
    return { open: [...this.openArb.values()].sort((a, b) => b.netEdge - a.netEdge), recent: this.arbHistory.toArray().reverse(), stats: this.arbStats, openedTotal: this.arbOpened };
  }
}

function emptyStrategy(id: string, ts: number): StrategyView {
  return { id, venue: null, account: null, symbol: null, quotes: [], quoteMid: null, stats: null, yield: null, ts };
}
