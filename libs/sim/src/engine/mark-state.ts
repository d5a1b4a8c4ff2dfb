import type { Decimal } from '@perpetua/core';
import { formatScaled } from './step-scale.js';

/**
 * A symbol's mark / index / funding state, set by the world each step. The texts go out in every 'mark' event, so
 * they are formatted at once; the exact Decimals are needed only when margin, PnL or funding is booked, so they are
 * derived from the same scaled integers on first use after a change (never from the float).
 */
export class MarkState {
  markText = '0';
  markNumber = 0;
  indexText = '0';
  fundingRateText = '0';
  ts: number;
  private markScaled = 0;
  /** Decimal places of markScaled. */
  private markPlaces = 0;
  private rateScaled = 0;
  private markDecimal: Decimal | undefined = 0n as Decimal;
  private rateDecimal: Decimal | undefined = 0n as Decimal;

  constructor(
    public nextFundingTime: number,
    now: number,
  ) {
    this.ts = now;
  }

  /** Mark and index rounded to `places` decimals, the rate to 8 (floats from the price process). */
  set(markPrice: number, indexPrice: number, fundingRate: number, places: number, ts: number): void {
    const pow = 10 ** places;
    this.markScaled = Math.round(markPrice * pow);
    this.markPlaces = places;
    this.markText = formatScaled(this.markScaled, places);
    this.markNumber = markPrice;
    this.indexText = formatScaled(Math.round(indexPrice * pow), places);
    this.rateScaled = Math.round(fundingRate * 1e8);
    this.fundingRateText = formatScaled(this.rateScaled, 8);
    this.markDecimal = undefined;
    this.rateDecimal = undefined;
    this.ts = ts;
  }

  get mark(): Decimal {
    return (this.markDecimal ??= (BigInt(this.markScaled) * 10n ** BigInt(18 - this.markPlaces)) as Decimal);
  }

  get fundingRate(): Decimal {
    return (this.rateDecimal ??= (BigInt(this.rateScaled) * 10n ** 10n) as Decimal);
  }
}

/** The next multiple of `interval` strictly after `now` (funding times align to the epoch like the venues'). */
export function fundingTimeAfter(now: number, interval: number): number {
  return (Math.floor(now / interval) + 1) * interval;
}
