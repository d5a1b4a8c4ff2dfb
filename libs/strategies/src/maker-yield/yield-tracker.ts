import type { StrategyYieldMessage, YieldHour, YieldPeriod } from '@perpetua/core';
import type { RestingQuote } from '../model/pricing-model.js';
import { tierFor, uptimeMultiplier, type MakerYieldRuleSet, type YieldAllowance } from './rule-set.js';
import { yieldSample, type YieldSample } from './yield-sample.js';
import { RingBuffer } from '../estimators/ring-buffer.js';

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface YieldTrackerOptions {
  strategyId: string;
  venue: string;
  symbol: string;
  rules: MakerYieldRuleSet;
  allowance: YieldAllowance;
  /**
   * Sample nothing until begin() says the run has started (the strategy runtime: the venue confirmed an order of
   * ours resting, or a few seconds passed since the first book without one). Without it, sampling starts with the
   * first event.
   */
  awaitBegin?: boolean;
}

interface HourAcc {
  start: number;
  sampled: number;
  up: number;
  sumCounted: number;
  sumWeighted: number;
}

interface PeriodAcc {
  start: number;
  sampled: number;
  up: number;
  makerHours: number;
  credit: number;
}

const monthStart = (ts: number): number => {
  const d = new Date(ts);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonthStart = (ts: number): number => {
  const d = new Date(ts);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/**
 * Maker-yield standing from the mark and our resting orders as the venue
 * confirmed them. Pure: time is the events' (ms). The state between events is
 * constant, so each whole second t (a multiple of 1000 ms) before the latest
 * event time is sampled with the state in force at t: an update at ts counts
 * from the second at ts on. Runs of equal seconds are added in one step, so a
 * long quiet gap costs one step per hour. Memory is bounded: the current hour,
 * day and month, plus rings of the last 48 closed hours and 62 closed days.
 *
 * With awaitBegin, the run's first sample is the first whole second at least
 * one second after begin(): nothing can rest before the strategy has a book
 * and the venue has answered its first orders (a round trip that takes over a
 * second on a loaded machine), and the other side's first order may be a
 * moment behind. Every second after that counts, up or down.
 */
export class YieldTracker {
  private mark: number | undefined;
  private orders: readonly RestingQuote[] = [];
  private sample: YieldSample;
  private nextSample: number | undefined;
  private hour: HourAcc | undefined;
  private day: PeriodAcc | undefined;
  private month: PeriodAcc | undefined;
  private lastTs = 0;
  readonly closedHours = new RingBuffer<YieldHour>(48);
  readonly closedDays = new RingBuffer<YieldPeriod>(62);

  constructor(private readonly opts: YieldTrackerOptions) {
    this.sample = yieldSample(opts.rules, opts.allowance, undefined, []);
  }

  onMark(ts: number, mark: number): void {
    this.advance(ts);
    if (mark > 0 && Number.isFinite(mark)) this.mark = mark;
    this.resample();
  }

  /** The complete set of our orders resting now, as the venue confirmed them. */
  onResting(ts: number, orders: readonly RestingQuote[]): void {
    this.advance(ts);
    this.orders = orders.map((o) => ({ ...o }));
    this.resample();
  }

  /** The run started at `ts`: with awaitBegin, sampling starts (once) a whole second after it. */
  begin(ts: number): void {
    if (this.nextSample !== undefined || !Number.isFinite(ts)) return;
    this.nextSample = Math.ceil((ts + SECOND) / SECOND) * SECOND;
    this.openPeriods(this.nextSample);
  }

  /** Samples every whole second before `ts` (call on a timer so quiet periods are counted). */
  advance(ts: number): void {
    if (!Number.isFinite(ts)) return;
    if (this.nextSample === undefined) {
      if (this.opts.awaitBegin) return;
      this.nextSample = Math.ceil(ts / SECOND) * SECOND;
      this.openPeriods(this.nextSample);
    }
    if (ts <= this.lastTs) return; // time never runs backwards here
    this.lastTs = ts;
    while (this.nextSample < ts) {
      const hourEnd = this.hour!.start + HOUR;
      const until = Math.min(ts, hourEnd);
      const n = Math.ceil((until - this.nextSample) / SECOND);
      const h = this.hour!;
      h.sampled += n;
      if (this.sample.up) {
        h.up += n;
        h.sumCounted += n * this.sample.counted;
        h.sumWeighted += n * this.sample.weighted;
      }
      this.nextSample += n * SECOND;
      if (this.nextSample >= hourEnd) this.closeHour(hourEnd);
    }
  }

  /** The standing at `ts` (samples up to it first). */
  report(ts: number): StrategyYieldMessage {
    this.advance(ts);
    // Not begun: empty periods around `ts` (begin() opens them afresh).
    if (this.hour === undefined) this.openPeriods(Math.ceil(ts / SECOND) * SECOND);
    const hour = this.hourFigures(this.hour!);
    const day = addHour(this.day!, hour);
    const month = addHour(this.month!, hour);
    const monthMs = nextMonthStart(this.month!.start) - this.month!.start;
    const elapsed = Math.max(SECOND, Math.min(monthMs, (this.nextSample ?? ts) - this.month!.start));
    const projected = (month.makerHours * monthMs) / elapsed;
    return {
      strategyId: this.opts.strategyId,
      venue: this.opts.venue,
      symbol: this.opts.symbol,
      ruleSet: this.opts.rules.name,
      ts,
      current: {
        mark: this.mark ?? null,
        twoSidedInBand: this.sample.up,
        bidDistanceBps: this.sample.bidDistanceBps,
        askDistanceBps: this.sample.askDistanceBps,
        countedSize: this.sample.counted,
      },
      hour,
      day: periodFigures(day),
      month: { ...periodFigures(month), tier: tierFor(this.opts.rules, month.makerHours), projectedMakerHours: projected, projectedTier: tierFor(this.opts.rules, projected) },
    };
  }

  private resample(): void {
    this.sample = yieldSample(this.opts.rules, this.opts.allowance, this.mark, this.orders);
  }

  private openPeriods(at: number): void {
    this.hour = { start: at - (at % HOUR), sampled: 0, up: 0, sumCounted: 0, sumWeighted: 0 };
    const dayStart = at - (at % DAY);
    if (!this.day || this.day.start !== dayStart) this.day = { start: dayStart, sampled: 0, up: 0, makerHours: 0, credit: 0 };
    const m = monthStart(at);
    if (!this.month || this.month.start !== m) this.month = { start: m, sampled: 0, up: 0, makerHours: 0, credit: 0 };
  }

  private closeHour(hourEnd: number): void {
    const figures = this.hourFigures(this.hour!);
    this.closedHours.push(figures);
    this.day = addHour(this.day!, figures);
    this.month = addHour(this.month!, figures);
    if (hourEnd % DAY === 0) this.closedDays.push(periodFigures(this.day));
    this.openPeriods(hourEnd);
  }

  private hourFigures(h: HourAcc): YieldHour {
    const multiplier = uptimeMultiplier(this.opts.rules, h.up / 60);
    const countedSize = h.up > 0 ? h.sumCounted / h.up : 0;
    const weightedSize = h.up > 0 ? h.sumWeighted / h.up : 0;
    const unit = this.opts.allowance.unit;
    return {
      start: h.start,
      sampledSeconds: h.sampled,
      upSeconds: h.up,
      uptimePct: h.sampled > 0 ? (h.up / h.sampled) * 100 : 0,
      makerHours: (countedSize / unit) * multiplier,
      credit: (weightedSize / unit) * multiplier,
      multiplier,
      countedSize,
      weightedSize,
    };
  }
}

function addHour(p: PeriodAcc, h: YieldHour): PeriodAcc {
  return { start: p.start, sampled: p.sampled + h.sampledSeconds, up: p.up + h.upSeconds, makerHours: p.makerHours + h.makerHours, credit: p.credit + h.credit };
}

function periodFigures(p: PeriodAcc): YieldPeriod {
  return {
    start: p.start,
    sampledSeconds: p.sampled,
    upSeconds: p.up,
    uptimePct: p.sampled > 0 ? (p.up / p.sampled) * 100 : 0,
    makerHours: p.makerHours,
    credit: p.credit,
  };
}
