import { Gauge, type Registry } from 'prom-client';
import { D, dec } from '@perpetua/core';
import type { Position } from '@perpetua/state';
import type { DailyLossState, OrderRateWindow, RiskLimits } from '@perpetua/risk';
import { gaugeOn } from './registered-metric.js';

/**
 * What risk knows as Prometheus gauges, refreshed with each risk.state (1 s):
 * positions and PnL per venue, account and symbol, the day's equity change, the
 * configured limits and the order-rate budget left. The alert rules and the
 * dashboard (deploy/) read these; the numbers are the exact decimals as floats.
 */
export class RiskGauges {
  private readonly position: Gauge<'venue' | 'account' | 'symbol'>;
  private readonly realized: Gauge<'venue' | 'account' | 'symbol'>;
  private readonly unrealized: Gauge<'venue' | 'account' | 'symbol'>;
  private readonly dailyPnl: Gauge;
  private readonly rateAvailable: Gauge<'venue'>;

  constructor(registry: Registry, limits: RiskLimits) {
    const labelNames = ['venue', 'account', 'symbol'] as const;
    this.position = gaugeOn(registry, { name: 'perpetua_risk_position', help: 'Booked position (signed, base units)', labelNames });
    this.realized = gaugeOn(registry, { name: 'perpetua_risk_realized_pnl', help: 'Realized PnL less fees and funding, quote currency', labelNames });
    this.unrealized = gaugeOn(registry, { name: 'perpetua_risk_unrealized_pnl', help: 'Unrealized PnL at the mark (or mid), quote currency', labelNames });
    this.dailyPnl = gaugeOn(registry, { name: 'perpetua_risk_daily_pnl', help: "Equity change since the UTC day's start (tracked when maxDailyLoss or maxDrawdown is set)" });
    this.rateAvailable = gaugeOn(registry, { name: 'perpetua_risk_order_rate_available', help: 'Placements still allowed in the order-rate window (maxOrdersPerSecond)', labelNames: ['venue'] });
    const limit = gaugeOn(registry, { name: 'perpetua_risk_limit', help: 'Configured risk limits', labelNames: ['limit'] });
    for (const [name, value] of Object.entries(limits)) if (value !== undefined && Number.isFinite(Number(value))) limit.set({ limit: name }, Number(value));
  }

  update(p: {
    positions: Iterable<Position>;
    markOf: (venue: string, symbol: string) => number | undefined;
    daily: DailyLossState | undefined;
    rate: OrderRateWindow | undefined;
    venues: Iterable<string>;
    now: number;
  }): void {
    for (const pos of p.positions) {
      const labels = { venue: pos.venue, account: pos.account, symbol: pos.symbol };
      const qty = dec(pos.qty);
      this.position.set(labels, Number(pos.qty));
      this.realized.set(labels, D.toNumber(D.sub(D.sub(dec(pos.realizedPnl), dec(pos.fees)), dec(pos.funding))));
      const mark = p.markOf(pos.venue, pos.symbol);
      if (qty === 0n) this.unrealized.set(labels, 0);
      else if (mark !== undefined) this.unrealized.set(labels, D.toNumber(D.sub(D.mul(qty, dec(String(mark))), dec(pos.costBasis))));
    }
    if (p.daily) this.dailyPnl.set(D.toNumber(D.sub(p.daily.equity, p.daily.start)));
    if (p.rate) for (const venue of p.venues) this.rateAvailable.set({ venue }, p.rate.available(venue, p.now));
  }
}
