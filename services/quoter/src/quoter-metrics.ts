import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { onePerKey, type StrategyStatsMessage, type StrategyYieldMessage } from '@perpetua/core';

export const TICK_TO_INTENT_BUCKETS: readonly number[] = Array.from({ length: 50 }, (_, i) => +(25e-6 * 1.25 ** i).toPrecision(3));

/** The quoter's metrics, labelled by strategy instance; one set per registry. */
export class QuoterMetrics {
  static readonly of = onePerKey((registry: Registry) => new QuoterMetrics(registry));

  readonly intents: Counter<'strategy'>;
  readonly requotes: Counter<'strategy' | 'reason'>;
  /** From the gateway's receipt of a book change to the quote set it caused leaving the quoter (trace gw.hr → quoter.hr). */
  readonly tickToIntent: Histogram<'strategy'>;
  private readonly pnl: Gauge<'strategy' | 'part'>;
  private readonly position: Gauge<'strategy'>;
  private readonly volume: Gauge<'strategy' | 'unit'>;
  private readonly turnover: Gauge<'strategy'>;
  private readonly fillRate: Gauge<'strategy'>;
  private readonly captured: Gauge<'strategy'>;
  private readonly quoted: Gauge<'strategy'>;
  private readonly paused: Gauge<'strategy'>;
  private readonly pausedSeconds: Gauge<'strategy'>;
  private readonly orders: Gauge<'strategy' | 'kind'>;
  private readonly uptime: Gauge<'strategy' | 'period'>;
  private readonly uptimeTarget: Gauge<'strategy'>;
  private readonly makerHours: Gauge<'strategy' | 'period'>;
  private readonly credit: Gauge<'strategy' | 'period'>;
  private readonly multiplier: Gauge<'strategy'>;
  private readonly inBand: Gauge<'strategy'>;

  private constructor(registry: Registry) {
    const registers = [registry];
    const labelNames = ['strategy'] as const;
    this.intents = new Counter({ name: 'perpetua_quoter_intents_total', help: 'Quote sets published', labelNames, registers });
    this.tickToIntent = new Histogram({
      name: 'perpetua_quoter_tick_to_intent_seconds',
      help: "From the gateway's receipt of a book change to the quote set it caused leaving the quoter (s)",
      labelNames,
      // Steps of 1.25x from 25 µs to ~1.3 s: fine enough to tell a 20% change in p99 from the buckets alone.
      buckets: [...TICK_TO_INTENT_BUCKETS],
      registers,
    });
    this.requotes = new Counter({ name: 'perpetua_strategy_requotes_total', help: 'Quote sets published, by why', labelNames: ['strategy', 'reason'] as const, registers });
    this.pnl = new Gauge({ name: 'perpetua_strategy_pnl', help: 'PnL since the instance started (quote currency), by part: realized, unrealized, fees, rebates, funding, total', labelNames: ['strategy', 'part'] as const, registers });
    this.position = new Gauge({ name: 'perpetua_strategy_position', help: 'Signed position (base units)', labelNames, registers });
    this.volume = new Gauge({ name: 'perpetua_strategy_volume', help: 'Traded since start, by unit (base, quote)', labelNames: ['strategy', 'unit'] as const, registers });
    this.turnover = new Gauge({ name: 'perpetua_strategy_turnover_per_hour', help: 'Base volume per hour over max_position', labelNames, registers });
    this.fillRate = new Gauge({ name: 'perpetua_strategy_fill_rate', help: 'Orders with a fill / orders placed', labelNames, registers });
    this.captured = new Gauge({ name: 'perpetua_strategy_captured_spread_bps', help: 'Average distance of fills from the mid at fill time (bps, positive = earned)', labelNames, registers });
    this.quoted = new Gauge({ name: 'perpetua_strategy_quoted_spread_bps', help: 'Best wanted ask − best wanted bid over mid (bps)', labelNames, registers });
    this.paused = new Gauge({ name: 'perpetua_strategy_paused', help: '1 while in a volatility pause', labelNames, registers });
    this.pausedSeconds = new Gauge({ name: 'perpetua_strategy_paused_seconds', help: 'Time spent in volatility pauses since start (s)', labelNames, registers });
    const periods = ['strategy', 'period'] as const;
    this.uptime = new Gauge({ name: 'perpetua_strategy_yield_uptime_pct', help: 'Maker-yield uptime: seconds two-sided within the band / seconds sampled, by period (hour, day, month)', labelNames: periods, registers });
    this.uptimeTarget = new Gauge({ name: 'perpetua_strategy_yield_uptime_target_pct', help: "Maker-yield uptime the programme's full hourly multiplier needs (% of the hour two-sided within the band)", labelNames, registers });
    this.makerHours = new Gauge({ name: 'perpetua_strategy_yield_maker_hours', help: 'Maker hours so far, by period (hour, day, month, month_projected)', labelNames: periods, registers });
    this.credit = new Gauge({ name: 'perpetua_strategy_yield_credit', help: 'Distance-weighted maker hours so far, by period', labelNames: periods, registers });
    this.multiplier = new Gauge({ name: 'perpetua_strategy_yield_multiplier', help: "The current hour's uptime multiplier", labelNames, registers });
    this.inBand = new Gauge({ name: 'perpetua_strategy_yield_two_sided', help: '1 while both sides rest within the band of the mark', labelNames, registers });
    this.orders = new Gauge({ name: 'perpetua_strategy_orders', help: 'Orders since start, by kind (placed, filled)', labelNames: ['strategy', 'kind'] as const, registers });
  }

  observe(s: StrategyStatsMessage): void {
    const strategy = s.strategy;
    const parts = { realized: s.realizedPnl, unrealized: s.unrealizedPnl, fees: s.fees, rebates: s.rebates, funding: s.funding, total: s.totalPnl };
    for (const [part, v] of Object.entries(parts)) this.pnl.set({ strategy, part }, v);
    this.position.set({ strategy }, s.position);
    this.volume.set({ strategy, unit: 'base' }, s.volumeBase);
    this.volume.set({ strategy, unit: 'quote' }, s.volumeQuote);
    this.turnover.set({ strategy }, s.turnoverPerHour);
    this.fillRate.set({ strategy }, s.fillRate);
    if (s.avgCapturedSpreadBps !== null) this.captured.set({ strategy }, s.avgCapturedSpreadBps);
    if (s.quotedSpreadBps !== null) this.quoted.set({ strategy }, s.quotedSpreadBps);
    this.paused.set({ strategy }, s.paused ? 1 : 0);
    this.pausedSeconds.set({ strategy }, s.pausedSec);
    this.orders.set({ strategy, kind: 'placed' }, s.ordersPlaced);
    this.orders.set({ strategy, kind: 'filled' }, s.ordersFilled);
  }

  /** What the strategy's programme needs each hour for its full multiplier: the alert compares the hour's uptime with it. */
  yieldTarget(strategy: string, pct: number): void {
    this.uptimeTarget.set({ strategy }, pct);
  }

  observeYield(y: StrategyYieldMessage): void {
    const strategy = y.strategyId;
    for (const [period, p] of [['hour', y.hour], ['day', y.day], ['month', y.month]] as const) {
      this.uptime.set({ strategy, period }, p.uptimePct);
      this.makerHours.set({ strategy, period }, p.makerHours);
      this.credit.set({ strategy, period }, p.credit);
    }
    this.makerHours.set({ strategy, period: 'month_projected' }, y.month.projectedMakerHours);
    this.multiplier.set({ strategy }, y.hour.multiplier);
    this.inBand.set({ strategy }, y.current.twoSidedInBand ? 1 : 0);
  }
}
