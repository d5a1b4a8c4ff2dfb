import { D, dec, toText, type Decimal } from '@perpetua/core';
import type { RiskLimits } from './risk-limits.js';

export type HaltRule = 'max_daily_loss' | 'max_drawdown';

export interface LossBreach {
  rule: HaltRule;
  detail: string;
}

export interface DailyLossState {
  /** UTC day number (ms since epoch / 86 400 000, floored). */
  day: number;
  start: Decimal;
  peak: Decimal;
  equity: Decimal;
}

const DAY_MS = 86_400_000;

/**
 * Daily loss and drawdown as a pure state machine. Equity (realized +
 * unrealized, quote currency) is observed over time; the first observation of
 * a UTC day sets that day's start and peak, later ones raise the peak.
 * Observations from an earlier day than the current one are ignored (late).
 */
export class DailyLossTracker {
  private current: DailyLossState | undefined;

  observe(equity: number | Decimal, now: number): void {
    const value = typeof equity === 'bigint' ? equity : dec(equity);
    const day = Math.floor(now / DAY_MS);
    const s = this.current;
    if (s === undefined || day > s.day) {
      this.current = { day, start: value, peak: value, equity: value };
      return;
    }
    if (day < s.day) return;
    this.current = { ...s, peak: D.max(s.peak, value), equity: value };
  }

  /** The current day's numbers, or undefined before the first observation. */
  state(): DailyLossState | undefined {
    return this.current;
  }

  /** A breach halts at the limit: change ≤ −limit. Daily loss is checked before drawdown. */
  breach(limits: Pick<RiskLimits, 'maxDailyLoss' | 'maxDrawdown'>): LossBreach | undefined {
    const s = this.current;
    if (s === undefined) return undefined;
    if (limits.maxDailyLoss !== undefined) {
      const change = D.sub(s.equity, s.start);
      if (change <= D.neg(dec(limits.maxDailyLoss))) {
        return { rule: 'max_daily_loss', detail: `equity ${toText(s.equity)} is ${toText(change)} from the day's start ${toText(s.start)}, limit -${limits.maxDailyLoss}` };
      }
    }
    if (limits.maxDrawdown !== undefined) {
      const change = D.sub(s.equity, s.peak);
      if (change <= D.neg(dec(limits.maxDrawdown))) {
        return { rule: 'max_drawdown', detail: `equity ${toText(s.equity)} is ${toText(change)} from the day's peak ${toText(s.peak)}, limit -${limits.maxDrawdown}` };
      }
    }
    return undefined;
  }
}
