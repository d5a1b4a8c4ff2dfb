import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { BookMessage, patterns, subjects, type ArbOpportunityMessage, type ArbStatsMessage, type Trace } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import { ArbDetector } from '@perpetua/arb';
import { ArbMetrics } from './arb-metrics.js';
import { LastValueHistory, type OpportunityHistory } from './opportunity-history.js';

export interface ArbDetectorServiceConfig {
  /** Minimum whole-trade net edge after both taker fees, as a fraction. */
  threshold: number;
  /** Taker fee per venue for our tier, as a fraction. */
  takerFees: Record<string, number>;
  /** For a venue missing from `takerFees`: deliberately pessimistic. */
  defaultTakerFee: number;
  /** Largest quantity per symbol (base units). */
  maxQty: Record<string, number>;
  /** For a symbol missing from `maxQty`; Infinity = only the visible depth limits it. */
  defaultMaxQty: number;
  /** Levels per side walked. */
  depth: number;
  /** A book silent this long counts as stale (a dead gateway flags nothing); undefined = trust the gateway's flag only. */
  staleAfterMs: number | undefined;
  statsIntervalMs: number;
  /** Events kept in memory by the default history. */
  historySize: number;
}

export const ARB_DETECTOR_DEFAULTS: ArbDetectorServiceConfig = {
  threshold: 0.001,
  takerFees: {},
  defaultTakerFee: 0.001,
  maxQty: {},
  defaultMaxQty: Number.POSITIVE_INFINITY,
  depth: 10,
  staleAfterMs: 5_000,
  statsIntervalMs: 10_000,
  historySize: 100,
};

export interface ArbDetectorDeps {
  bus: Bus;
  logger: Logger;
  registry: Registry;
  now?: () => number;
  /** Where events are kept for late readers; default: last-value bucket plus an in-memory ring. */
  history?: OpportunityHistory;
}

const MAX_TRACE_HOPS = 32;

/**
 * Arbitrage detector: streams every `md.book.*` update into the pure detector
 * (libs/arb), which evaluates the pairs of the updated venue, and publishes each
 * opportunity event on `arb.opportunity.<symbol>`. Statistics go out on
 * `arb.stats` every `statsIntervalMs`; a sweep closes opportunities whose book
 * went silent. It never trades.
 */
export class ArbDetectorService {
  readonly config: ArbDetectorServiceConfig;
  private readonly detector: ArbDetector;
  private readonly m: ArbMetrics;
  private readonly history: OpportunityHistory;
  private sub: Subscription | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly events = { opened: 0, updated: 0, closed: 0, staleCloses: 0 };
  private readonly failures: Record<string, number> = {};
  private readonly failureKindsLogged = new Set<string>();
  private window = { count: 0, sum: 0, max: 0 };
  private startedAt = 0;

  constructor(config: Partial<ArbDetectorServiceConfig>, private readonly deps: ArbDetectorDeps) {
    this.config = { ...ARB_DETECTOR_DEFAULTS, ...config };
    const c = this.config;
    this.detector = new ArbDetector({ threshold: c.threshold, takerFees: c.takerFees, defaultTakerFee: c.defaultTakerFee, maxQty: c.maxQty, defaultMaxQty: c.defaultMaxQty, depth: c.depth, maxBookAgeMs: c.staleAfterMs });
    this.m = ArbMetrics.of(deps.registry);
    this.history = deps.history ?? new LastValueHistory(deps.bus, c.historySize, (err) => this.fail('history_write', err));
  }

  private get now(): () => number {
    return this.deps.now ?? Date.now;
  }

  start(): void {
    this.startedAt = this.now();
    this.sub = this.deps.bus.subscribe(patterns.allBooks, BookMessage, (book) => this.onBook(book));
    this.statsTimer = setInterval(() => this.publishStats(), this.config.statsIntervalMs);
    this.statsTimer.unref();
    const staleAfter = this.config.staleAfterMs;
    if (staleAfter !== undefined) {
      this.sweepTimer = setInterval(() => this.sweep(), Math.max(50, Math.min(1_000, Math.floor(staleAfter / 4))));
      this.sweepTimer.unref();
    }
    this.deps.logger.info({ threshold: this.config.threshold, depth: this.config.depth, staleAfterMs: staleAfter }, 'arb detector started');
  }

  stop(): void {
    this.sub?.unsubscribe();
    this.sub = undefined;
    clearInterval(this.statsTimer);
    clearInterval(this.sweepTimer);
  }

  /** The last events kept by the history (oldest first). */
  recent(): readonly ArbOpportunityMessage[] {
    return this.history.recent();
  }

  get openCount(): number {
    return this.detector.openCount;
  }

  private onBook(book: BookMessage): void {
    const received = this.now();
    const invalidBefore = this.detector.invalidBookCount;
    const t0 = performance.now();
    let events: readonly ArbOpportunityMessage[];
    try {
      events = this.detector.onBook(book, received);
    } catch (err) {
      this.fail('handler', err);
      return;
    }
    const micros = (performance.now() - t0) * 1000;
    this.m.evaluateSeconds.observe(micros / 1e6);
    this.m.bookUpdates.inc({ venue: book.venue });
    const w = this.window;
    w.count++;
    w.sum += micros;
    if (micros > w.max) w.max = micros;
    if (this.detector.invalidBookCount !== invalidBefore) this.fail('invalid_book', `${book.venue} ${book.symbol}: levels out of order`);
    if (events.length > 0) this.publish(events, book, received);
  }

  private sweep(): void {
    const events = this.detector.sweep(this.now());
    if (events.length > 0) this.publish(events, undefined, undefined);
  }

  private publish(events: readonly ArbOpportunityMessage[], book: BookMessage | undefined, received: number | undefined): void {
    for (const e of events) {
      if (book !== undefined && received !== undefined) e.trace = this.trace(book, received);
      try {
        this.deps.bus.publish(subjects.arbOpportunity(e.symbol), e);
      } catch (err) {
        this.fail('publish', err);
      }
      this.history.record(e);
      this.events[e.event]++;
      if (e.event === 'closed' && e.reason === 'stale') this.events.staleCloses++;
      this.m.opportunities.inc({ event: e.event });
    }
    this.m.open.set(this.detector.openCount);
  }

  /** Hop timestamps: the book's own, then when the gateway published it and when we received and decided. */
  private trace(book: BookMessage, received: number): Trace {
    const hops: Trace = book.trace && Object.keys(book.trace).length <= MAX_TRACE_HOPS - 3 ? { ...book.trace } : {};
    hops['gw.pub'] = book.tsPublished;
    hops['arb.recv'] = received;
    hops['arb.pub'] = this.now();
    return hops;
  }

  /** Builds and publishes the statistics message (also called by the timer). */
  publishStats(): ArbStatsMessage {
    const now = this.now();
    const s = this.detector.stats(now);
    const w = this.window;
    const msg: ArbStatsMessage = {
      ts: now,
      startedAt: this.startedAt,
      updates: s.updates,
      opened: this.events.opened,
      updated: this.events.updated,
      closed: this.events.closed,
      open: s.open,
      unusableBooks: s.unusableBooks,
      staleCloses: this.events.staleCloses,
      failures: { ...this.failures },
      venues: s.venues,
    };
    if (w.count > 0) msg.evaluateMicros = { count: w.count, mean: w.sum / w.count, max: w.max };
    this.window = { count: 0, sum: 0, max: 0 };
    this.m.unusableBooks.set(s.unusableBooks);
    this.m.open.set(s.open);
    try {
      this.deps.bus.publish(subjects.arbStats(), msg);
    } catch (err) {
      this.fail('publish', err);
    }
    return msg;
  }

  /** Counts a failure by kind and logs the first of each kind. */
  private fail(kind: string, detail: unknown): void {
    this.failures[kind] = (this.failures[kind] ?? 0) + 1;
    this.m.failures.inc({ kind });
    if (this.failureKindsLogged.has(kind)) return;
    this.failureKindsLogged.add(kind);
    this.deps.logger.warn({ kind, err: detail }, 'arb detector failure (logged once per kind)');
  }
}
