import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { routerOrderTraceSubject, type Clock, type RouterOrderTrace, type Trace } from '@perpetua/core';
import type { Bus } from '@perpetua/bus';
import type { StateStore } from '@perpetua/state';
import type { TradingAdapter } from '@perpetua/venues';
import { OwnedOrders } from './order-state/index.js';
import { retryUntilKnown, type KnownOutcome, type Sleep } from './retry-until-known.js';
import { RouterMetrics } from './router-metrics.js';
import type { ReconcileOptions } from './reconcile/venue-reconciliation.js';
import type { FundingBookerOptions } from './funding/funding-booker.js';

export type { ReconcileOptions } from './reconcile/venue-reconciliation.js';

export interface OrderRouterDeps {
  bus: Bus;
  adapter: TradingAdapter;
  store: StateStore;
  logger: Logger;
  registry: Registry;
  now?: () => number;
  /** Pauses between queries and retries (default: a timer). */
  sleep?: Sleep;
  /** Called with each order's trace when it has been sent (latency measurement). */
  onOrderSent?: (trace: Trace) => void;
  /** Publish each sent order's trace with its client order id on router.trace.<venue> (telemetry.publishOrderTraces). */
  publishOrderTraces?: boolean;
  reconcile?: ReconcileOptions;
  /** Times the reconciliation timer, its settle pauses, the open-orders snapshot and the funding booker (default the wall clock). */
  clock?: Clock;
  /** Funding booking (funding/funding-booker.ts); false turns it off. */
  funding?: FundingBookerOptions | false;
}

export interface RouterStats {
  placed: number;
  cancelled: number;
  /** Quote orders changed in place (one amend call instead of a cancel and a place). */
  amended: number;
  fills: number;
  rejected: number;
  /** Places refused by the venue's rate limit (not in `rejected`). */
  rateLimited: number;
}

const timerSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * What the router's parts share: the deps, the owned orders with their states, the counters, and the flags
 * every part reads (stopped, halted, the rate-limit pause). One per router.
 */
export class RouterContext {
  readonly orders = new OwnedOrders();
  readonly stats: RouterStats = { placed: 0, cancelled: 0, amended: 0, fills: 0, rejected: 0, rateLimited: 0 };
  readonly m: RouterMetrics;
  /** Set by stop(): no part starts new work after it. */
  stopped = false;
  /** The kill switch (risk.state): while set, every resting order is cancelled and nothing new is placed. */
  riskHalted = false;
  /** Set while a position difference beyond tolerance halts this account (reconciliation sets and lifts it). */
  positionHalt: string | undefined;
  /** Symbols quoted or ordered in since start (bounded by the venue's symbols): what a run after start reconciles. */
  readonly tradedSymbols = new Set<string>();
  /** Until when (router clock) the venue asked us to slow down: quote sets are worked again after it. */
  rateLimitedUntil = 0;

  constructor(readonly deps: OrderRouterDeps) {
    // One set per registry: several routers (one per venue) may share a process and its registry.
    this.m = RouterMetrics.of(deps.registry);
  }

  /** Either halt: every resting order is cancelled and nothing new is placed. */
  get halted(): boolean {
    return this.riskHalted || this.positionHalt !== undefined;
  }

  get venue(): string {
    return this.deps.adapter.venue;
  }

  get account(): string {
    return this.deps.adapter.account;
  }

  now(): number {
    return (this.deps.now ?? Date.now)();
  }

  sleep(ms: number): Promise<void> {
    return (this.deps.sleep ?? timerSleep)(ms);
  }

  /** A place or amend request to the venue, counted in flight until it is answered (or throws). */
  async request<T>(send: () => Promise<T>): Promise<T> {
    this.m.requestsInFlight.inc({ venue: this.venue });
    try {
      return await send();
    } finally {
      this.m.requestsInFlight.dec({ venue: this.venue });
    }
  }

  /** True when the venue cancelled it; false when it was no longer open or the cancel failed (logged). */
  async cancelQuietly(symbol: string, clientOrderId: string): Promise<boolean> {
    try {
      return await this.deps.adapter.cancelOrder(symbol, clientOrderId);
    } catch (err) {
      this.m.errors.inc({ venue: this.venue, call: 'cancel' });
      this.deps.logger.error({ err, clientOrderId }, 'cancel failed');
      return false;
    }
  }

  /** Queries an order whose answer was lost until the venue says (retryUntilKnown), counting failed queries. */
  queryUntilKnown<T>(query: () => Promise<T>, clientOrderId: string, what: string): Promise<KnownOutcome<T>> {
    return retryUntilKnown(query, {
      sleep: (ms) => this.sleep(ms),
      stopped: () => this.stopped,
      onError: (err, attempt) => {
        this.m.errors.inc({ venue: this.venue, call: 'query' });
        this.deps.logger.warn({ err, clientOrderId, attempt }, `query ${what} failed`);
      },
    });
  }

  countPlaced(): void {
    this.stats.placed++;
    this.m.placed.inc({ venue: this.venue });
  }

  countRejected(): void {
    this.stats.rejected++;
    this.m.rejected.inc({ venue: this.venue });
  }

  /** A place the venue's rate limit refused: counted apart from rejections, and every quote book pauses. */
  countRateLimited(retryAfterMs: number): void {
    this.stats.rateLimited++;
    this.m.rateLimited.inc({ venue: this.venue });
    this.rateLimitedUntil = Math.max(this.rateLimitedUntil, this.now() + retryAfterMs);
  }

  /** A request left for the venue: its trace goes to the latency hook and, opted in, out on router.trace. */
  traceSent(trace: Trace, order: Omit<RouterOrderTrace, 'venue' | 'trace' | 'kind'> & { kind?: RouterOrderTrace['kind'] }): void {
    this.deps.onOrderSent?.(trace);
    // Opt-in: lets a benchmark join the trace to the order's arrival at the venue by client order id.
    if (this.deps.publishOrderTraces) this.deps.bus.publish(routerOrderTraceSubject(this.venue), { venue: this.venue, ...order, trace });
  }

  /** The live-orders gauge: the quote orders the router holds. */
  showLive(): void {
    this.m.live.set({ venue: this.venue }, this.orders.quoteCount);
  }
}
