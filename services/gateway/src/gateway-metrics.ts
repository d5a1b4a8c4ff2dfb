import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { onePerKey } from '@perpetua/core';

/**
 * The gateway's metrics. Labels stay per venue (and kind): symbols would multiply
 * series per venue for little gain. One set per registry, shared by the gateways
 * of one process (`perpetua start` runs one per venue).
 */
export class GatewayMetrics {
  static readonly of = onePerKey((registry: Registry) => new GatewayMetrics(registry));

  readonly eventsIn: Counter<'venue' | 'kind'>;
  readonly published: Counter<'venue' | 'kind'>;
  readonly invalid: Counter<'venue' | 'kind'>;
  readonly resyncs: Counter<'venue'>;
  readonly reconnects: Counter<'venue'>;
  readonly staleSeconds: Counter<'venue'>;
  readonly staleSymbols: Gauge<'venue'>;
  readonly applySeconds: Histogram<'venue'>;
  readonly lagSeconds: Histogram<'venue'>;
  /** 1 while the venue's market data is connected (also while some symbols are stale), 0 when down, connecting or resyncing. */
  readonly venueUp: Gauge<'venue'>;
  /** Best ask over best bid, in basis points of the mid; set with the throttled last-value write, not on every book. */
  readonly spreadBps: Gauge<'venue' | 'symbol'>;
  /** 1 while this gateway holds the symbol's lease and publishes it (the venue's gateways share its symbols). */
  readonly symbolHeld: Gauge<'venue' | 'symbol'>;

  private constructor(registry: Registry) {
    const registers = [registry];
    this.eventsIn = new Counter({ name: 'perpetua_gateway_events_received_total', help: 'Venue market-data events received, by kind', labelNames: ['venue', 'kind'], registers });
    this.published = new Counter({ name: 'perpetua_gateway_messages_published_total', help: 'Messages published on the bus, by kind', labelNames: ['venue', 'kind'], registers });
    this.invalid = new Counter({ name: 'perpetua_gateway_invalid_events_total', help: 'Venue events refused (malformed, crossed, out of sequence), by kind', labelNames: ['venue', 'kind'], registers });
    this.resyncs = new Counter({ name: 'perpetua_gateway_resyncs_total', help: 'Book resynchronisations (sequence gap, lost connection)', labelNames: ['venue'], registers });
    this.reconnects = new Counter({ name: 'perpetua_gateway_reconnects_total', help: 'Reconnections to the venue after a drop', labelNames: ['venue'], registers });
    this.staleSeconds = new Counter({ name: 'perpetua_gateway_stale_symbol_seconds_total', help: 'Seconds symbols spent stale, summed over symbols', labelNames: ['venue'], registers });
    this.staleSymbols = new Gauge({ name: 'perpetua_gateway_stale_symbols', help: 'Symbols whose book is stale now', labelNames: ['venue'], registers });
    this.applySeconds = new Histogram({ name: 'perpetua_gateway_book_apply_seconds', help: 'Time to apply one book event', labelNames: ['venue'], buckets: [1e-6, 5e-6, 2e-5, 1e-4, 5e-4, 2e-3], registers });
    this.venueUp = new Gauge({ name: 'perpetua_gateway_venue_up', help: "1 while the venue's market data is connected, 0 when down, connecting or resyncing", labelNames: ['venue'], registers });
    this.spreadBps = new Gauge({ name: 'perpetua_gateway_spread_bps', help: 'Top-of-book spread in basis points of the mid (sampled with the last-value write)', labelNames: ['venue', 'symbol'], registers });
    this.symbolHeld = new Gauge({ name: 'perpetua_gateway_symbol_held', help: "1 while this gateway holds the symbol's lease and publishes its market data", labelNames: ['venue', 'symbol'], registers });
    this.lagSeconds = new Histogram({ name: 'perpetua_gateway_exchange_to_publish_seconds', help: 'Exchange timestamp to publish', labelNames: ['venue'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5], registers });
  }
}
