import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { onePerKey } from '@perpetua/core';

/** The arb detector's metrics; labels stay per venue or event kind (never per pair: 20 venues × 50 symbols would explode). */
export class ArbMetrics {
  static readonly of = onePerKey((registry: Registry) => new ArbMetrics(registry));

  readonly bookUpdates: Counter<'venue'>;
  readonly opportunities: Counter<'event'>;
  readonly evaluateSeconds: Histogram;
  readonly open: Gauge;
  readonly failures: Counter<'kind'>;
  readonly unusableBooks: Gauge;

  private constructor(registry: Registry) {
    const registers = [registry];
    this.bookUpdates = new Counter({ name: 'perpetua_arb_book_updates_total', help: 'Book updates evaluated by the arb detector', labelNames: ['venue'], registers });
    this.opportunities = new Counter({ name: 'perpetua_arb_opportunities_total', help: 'Arbitrage opportunity lifecycle events, by event', labelNames: ['event'], registers });
    this.evaluateSeconds = new Histogram({ name: 'perpetua_arb_evaluate_seconds', help: 'Time from receiving a book update to the decision (pairs of the updated venue evaluated)', buckets: [2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 5e-4, 2e-3], registers });
    this.open = new Gauge({ name: 'perpetua_arb_open_opportunities', help: 'Arbitrage opportunities open now', registers });
    this.failures = new Counter({ name: 'perpetua_arb_failures_total', help: 'Arb detector failures, by kind (handler error, invalid book, publish or history write error)', labelNames: ['kind'], registers });
    this.unusableBooks = new Gauge({ name: 'perpetua_arb_unusable_books', help: 'Books (venue × symbol) the detector cannot use now: stale, aged out, crossed, one-sided or invalid', registers });
  }
}
