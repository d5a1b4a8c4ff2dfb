import { D, type Decimal } from '@perpetua/core';

/**
 * Funding on a perpetual: at each funding time a long pays position × mark ×
 * rate to the shorts (a negative rate reverses it). The amount is what we
 * receive, so a long with a positive rate gets a negative amount.
 */
export function fundingPayment(position: Decimal, markPrice: Decimal, rate: Decimal): Decimal {
  return D.neg(D.mul(D.mul(position, markPrice), rate));
}

export interface FundingEvent {
  /** The funding time that passed. */
  ts: number;
  rate: Decimal;
  markPrice: Decimal;
  position: Decimal;
  /** Received (negative = paid). */
  amount: Decimal;
}

export interface FundingClockOptions {
  /** Interval between funding times when the venue does not say (8 h on most venues). */
  intervalMs?: number;
}

/**
 * Funding times of one symbol on one venue: the venue's announced next
 * funding time when its mark messages carry one, else every `intervalMs` from
 * the UTC epoch (00:00, 08:00, 16:00 for 8 h). Each time pays once, with the
 * last rate and mark seen before it.
 */
export class FundingClock {
  private readonly intervalMs: number;
  private rate: Decimal | undefined;
  private mark: Decimal | undefined;
  private next: number | undefined;

  constructor(opts: FundingClockOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 8 * 3_600_000;
    if (!(this.intervalMs > 0)) throw new RangeError('intervalMs must be positive');
  }

  /** The latest mark: its rate applies at the next funding time. */
  onMark(ts: number, markPrice: Decimal, rate: Decimal | undefined, nextFundingTime: number | undefined): void {
    this.mark = markPrice;
    if (rate !== undefined) this.rate = rate;
    if (nextFundingTime !== undefined && nextFundingTime > ts) this.next = nextFundingTime;
    else if (this.next === undefined) this.next = (Math.floor(ts / this.intervalMs) + 1) * this.intervalMs;
  }

  /** The payment due when the clock reaches `ts`, if a funding time passed since the last call. */
  advance(ts: number, position: Decimal): FundingEvent | undefined {
    if (this.next === undefined || ts < this.next) return undefined;
    const at = this.next;
    // A gap in the data that jumps over several funding times pays once, at the last known rate, rather
    // than several times at a rate nobody saw.
    this.next = at + this.intervalMs * Math.max(1, Math.ceil((ts - at + 1) / this.intervalMs));
    if (this.rate === undefined || this.mark === undefined || position === 0n) return undefined;
    return { ts: at, rate: this.rate, markPrice: this.mark, position, amount: fundingPayment(position, this.mark, this.rate) };
  }
}
