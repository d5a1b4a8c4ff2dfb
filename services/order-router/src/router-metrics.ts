import { Counter, Gauge, type Registry } from 'prom-client';
import { onePerKey } from '@perpetua/core';

/** The order routers' metrics, labelled by venue: every router of a process (one per venue) shares one set. */
export class RouterMetrics {
  static readonly of = onePerKey((registry: Registry) => new RouterMetrics(registry));

  readonly placed: Counter<'venue'>;
  readonly cancelled: Counter<'venue'>;
  readonly amended: Counter<'venue'>;
  readonly fills: Counter<'venue'>;
  readonly rejected: Counter<'venue'>;
  readonly rateLimited: Counter<'venue'>;
  readonly errors: Counter<'venue' | 'call'>;
  readonly live: Gauge<'venue'>;
  readonly requestsInFlight: Gauge<'venue'>;
  readonly killCancels: Counter<'venue'>;
  readonly adopted: Counter<'venue'>;
  readonly sameTrade: Counter<'venue'>;
  readonly orphans: Counter<'venue'>;
  readonly positionDiffs: Gauge<'venue'>;
  readonly positionDifference: Gauge<'venue' | 'account' | 'symbol'>;
  readonly positionHalts: Counter<'venue' | 'account'>;
  readonly reconcileRuns: Counter<'venue' | 'trigger'>;

  private constructor(registry: Registry) {
    const registers = [registry];
    const labelNames = ['venue'] as const;
    this.placed = new Counter({ name: 'perpetua_router_orders_placed_total', help: 'Orders sent to the venue', labelNames, registers });
    this.cancelled = new Counter({ name: 'perpetua_router_orders_cancelled_total', help: 'Cancels confirmed by the venue', labelNames, registers });
    this.amended = new Counter({ name: 'perpetua_router_orders_amended_total', help: 'Quote orders amended in place (price and/or qty), confirmed by the venue', labelNames, registers });
    this.fills = new Counter({ name: 'perpetua_router_fills_total', help: 'Fills received and published', labelNames, registers });
    this.rejected = new Counter({ name: 'perpetua_router_orders_rejected_total', help: 'Orders the venue rejected', labelNames, registers });
    this.rateLimited = new Counter({
      name: 'perpetua_router_rate_limited_total',
      help: "Places the venue's rate limit refused (not counted as rejected: the quote set is worked again after the pause)",
      labelNames,
      registers,
    });
    this.errors = new Counter({ name: 'perpetua_router_errors_total', help: 'Venue calls that failed', labelNames: ['venue', 'call'] as const, registers });
    this.live = new Gauge({ name: 'perpetua_router_live_orders', help: 'Orders resting on the venue that the router owns', labelNames, registers });
    this.requestsInFlight = new Gauge({
      name: 'perpetua_router_order_requests_in_flight',
      help: 'Place and amend requests sent to the venue and not answered yet (what a halt may still see land)',
      labelNames,
      registers,
    });
    this.killCancels = new Counter({ name: 'perpetua_router_halt_cancels_total', help: 'Orders cancelled because trading was halted', labelNames, registers });
    this.adopted = new Counter({ name: 'perpetua_router_fills_adopted_total', help: 'Fills missed by the stream, found in the venue history and published', labelNames, registers });
    this.sameTrade = new Counter({
      name: 'perpetua_router_fills_same_trade_total',
      help: 'Fills not published: the same trade was published under its other id (told once without the venue id, once with it)',
      labelNames,
      registers,
    });
    this.orphans = new Counter({ name: 'perpetua_router_orphan_cancels_total', help: 'Open orders the router did not own, cancelled', labelNames, registers });
    this.positionDiffs = new Gauge({
      name: 'perpetua_router_position_differences',
      help: 'Symbols whose venue position differed from the booked one at the last reconciliation',
      labelNames,
      registers,
    });
    this.positionDifference = new Gauge({
      name: 'perpetua_router_position_difference',
      help: "|venue - booked| position (base units) per symbol at the last reconciliation; beyond the account's tolerance its quoting halts",
      labelNames: ['venue', 'account', 'symbol'] as const,
      registers,
    });
    this.positionHalts = new Counter({
      name: 'perpetua_router_position_halts_total',
      help: "Times an account's quoting was halted for a position difference beyond its tolerance",
      labelNames: ['venue', 'account'] as const,
      registers,
    });
    this.reconcileRuns = new Counter({
      name: 'perpetua_router_reconcile_runs_total',
      help: 'Reconciliations with the venue, by what set them off (start, reconnect, timer)',
      labelNames: ['venue', 'trigger'] as const,
      registers,
    });
  }
}
