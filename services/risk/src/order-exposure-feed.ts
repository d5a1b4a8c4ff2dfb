import { Counter, Gauge, type Registry } from 'prom-client';
import { OrderEvent, QuoteSetTakenMessage, patterns, toText, type WantedQuote } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import { OrderExposureCache, type OrderExposureCacheOptions, type OtherQuote, type QuoteSetContext } from '@perpetua/risk';
import { counterOn, gaugeOn } from './registered-metric.js';

/** Where an intent lands: one venue, account and symbol. */
export interface IntentPlace {
  venue: string;
  account: string;
  symbol: string;
}

/**
 * Risk's view of what rests and what is in flight: an OrderExposureCache fed by every router's order
 * events (order.event.*), by risk's own approvals and by the quote sets the routers say they skipped
 * (router.quotes.taken.*), with gauges for its size and a counter of what its
 * bounds dropped. Intents are judged against `contextFor`, never against risk's last decision.
 */
export class OrderExposureFeed {
  private readonly cache: OrderExposureCache;
  private subs: Subscription[] = [];
  private readonly entries: Gauge<'kind'>;
  private readonly dropped: Counter;
  private droppedSeen = 0;

  constructor(
    private readonly bus: Bus,
    registry: Registry,
    options: OrderExposureCacheOptions = {},
  ) {
    this.cache = new OrderExposureCache(options);
    this.entries = gaugeOn(registry, { name: 'perpetua_risk_order_cache_entries', help: "Risk's order cache: open orders, unacknowledged approvals and remembered closed ids", labelNames: ['kind'] });
    this.dropped = counterOn(registry, { name: 'perpetua_risk_order_cache_dropped_total', help: "Orders or approvals dropped from risk's order cache because a bound was reached" });
  }

  start(): void {
    this.subs.push(this.bus.subscribe(patterns.allOrderEvents, OrderEvent, (e) => this.cache.applyEvent(e)));
    // A set the router replaced before working it gets no order event: its approvals stop counting at once.
    this.subs.push(this.bus.subscribe(patterns.allQuoteSetsTaken, QuoteSetTakenMessage, (t) => this.cache.dropSkipped({ ...t, intentIds: t.skipped })));
  }

  stop(): void {
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
  }

  /**
   * What an intent is judged against: everything live on its venue, account and symbol, and the quotes of
   * other strategies on that venue and symbol (self-trade). `strategy` is the quote set's own strategy.
   */
  contextFor(at: IntentPlace, now: number, strategy?: string): Pick<QuoteSetContext, 'live' | 'otherQuotes' | 'strategy'> {
    const otherQuotes: OtherQuote[] = this.cache.quotes(at.venue, at.symbol, now, strategy).map((o) => ({ strategy: o.strategy, slot: o.slot, side: o.side, price: toText(o.price) }));
    return { live: this.cache.live(at.venue, at.account, at.symbol, now), otherQuotes, ...(strategy !== undefined ? { strategy } : {}) };
  }

  /** An approved quote set: its new quotes are in flight until the router's events show them. */
  approvedQuotes(at: IntentPlace & { strategy: string; intentId: string }, quotes: readonly WantedQuote[], now: number): void {
    this.cache.approveQuotes({ venue: at.venue, account: at.account, symbol: at.symbol, strategy: at.strategy, intentId: at.intentId, quotes }, now);
  }

  /** An approved immediate order: in flight until an event for its client order id. */
  approvedOrder(o: IntentPlace & { clientOrderId: string; side: 'buy' | 'sell'; price: string; qty: string }, now: number): void {
    this.cache.approveOrder(o, now);
  }

  /** Refreshes the gauges (with risk.state, every second). */
  updateMetrics(now: number): void {
    this.cache.expire(now);
    const size = this.cache.size;
    this.entries.set({ kind: 'orders' }, size.orders);
    this.entries.set({ kind: 'approvals' }, size.approvals);
    this.entries.set({ kind: 'closed' }, size.closed);
    const dropped = this.cache.overflowDropped;
    if (dropped > this.droppedSeen) this.dropped.inc(dropped - this.droppedSeen);
    this.droppedSeen = dropped;
  }
}
