import { D, type Decimal, type Side } from '@perpetua/core';
import { OldestFirst } from './oldest-first.js';

/** Positions remembered that the instance passed through since risk last caught up (fills come a few at a time). */
const PASSED = 16;
/** Fill ids remembered, so a fill delivered twice counts once (risk books it once). */
const FILL_IDS = 256;

/**
 * The strategy's own position, counted from its fill messages at once, next to the position risk last reported.
 * Risk books a fill after the strategy hears of it, so a report can trail the fills already counted: a report
 * equal to a position this instance passed through since the last report that caught up is such a trailing
 * report, and the count goes on from the fills since. Any other report (another order on the account, a
 * correction) is taken as it is.
 */
export class PositionEstimate {
  private local: Decimal = D.ZERO;
  private reported: Decimal = D.ZERO;
  private passed: Decimal[] = [D.ZERO];
  private readonly fillIds = new Set<string>();
  /** The counted fill ids, oldest first: the next to forget. */
  private readonly fillOrder = new OldestFirst<string>(FILL_IDS);

  /** The best estimate now: the last report plus the fills heard since it. */
  get value(): Decimal {
    return this.local;
  }

  /** Counts a fill once; false when its id was counted already. */
  fill(fillId: string, side: Side, qty: Decimal): boolean {
    if (this.fillIds.has(fillId)) return false;
    this.fillIds.add(fillId);
    const forgotten = this.fillOrder.add(fillId);
    if (forgotten !== undefined) this.fillIds.delete(forgotten);
    this.local = side === 'buy' ? D.add(this.local, qty) : D.sub(this.local, qty);
    this.passed.push(this.local);
    if (this.passed.length > PASSED) this.passed.shift();
    return true;
  }

  /** A position risk reported (or the store held at start). */
  report(qty: Decimal): void {
    this.reported = qty;
    const i = this.passed.lastIndexOf(qty);
    if (i >= 0) {
      this.passed = this.passed.slice(i);
      return;
    }
    this.local = qty;
    this.passed = [qty];
  }

  /**
   * Where risk may see the position: as it last reported it, as counted here, or that plus `ahead` (what order
   * events show filled before the fill messages came).
   */
  range(ahead: Readonly<Record<Side, Decimal>>): { low: Decimal; high: Decimal } {
    const withAhead = D.sub(D.add(this.local, ahead.buy), ahead.sell);
    return { low: D.min(D.min(this.local, this.reported), withAhead), high: D.max(D.max(this.local, this.reported), withAhead) };
  }
}
