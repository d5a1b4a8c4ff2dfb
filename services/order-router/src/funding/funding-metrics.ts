import { Counter, type Registry } from 'prom-client';
import { onePerKey } from '@perpetua/core';

/** Funding booked by the routers of a process, per venue, account and symbol: one set per registry. */
export class FundingMetrics {
  static readonly of = onePerKey((registry: Registry) => new FundingMetrics(registry));

  /** Payments booked (a payment seen again is not counted). */
  readonly booked: Counter<'venue' | 'account' | 'symbol'>;
  /** Quote currency booked, split by direction so each counter only grows. */
  readonly paid: Counter<'venue' | 'account' | 'symbol'>;
  readonly received: Counter<'venue' | 'account' | 'symbol'>;
  readonly errors: Counter<'venue'>;

  private constructor(registry: Registry) {
    const registers = [registry];
    const labelNames = ['venue', 'account', 'symbol'] as const;
    this.booked = new Counter({ name: 'perpetua_router_funding_payments_booked_total', help: 'Funding payments booked into positions (once each)', labelNames, registers });
    this.paid = new Counter({ name: 'perpetua_router_funding_paid_total', help: 'Funding paid, quote currency, as booked', labelNames, registers });
    this.received = new Counter({ name: 'perpetua_router_funding_received_total', help: 'Funding received, quote currency, as booked', labelNames, registers });
    this.errors = new Counter({ name: 'perpetua_router_funding_poll_errors_total', help: 'Funding polls that failed (retried at the next poll)', labelNames: ['venue'], registers });
  }
}
