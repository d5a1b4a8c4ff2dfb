import { D, dec, type Decimal, type Side } from '@perpetua/core';

/**
 * A strategy's PnL since it started, average cost, exact: it opens with the
 * position it found (at that position's entry price) and books its own fills.
 * Fees paid and rebates received are kept apart from the trading PnL.
 */
export class PnlLedger {
  private qty: Decimal;
  /** Signed cost of the open qty (qty × average entry). */
  private cost: Decimal;
  private realized: Decimal = D.ZERO;
  private feesPaid: Decimal = D.ZERO;
  private rebates: Decimal = D.ZERO;

  constructor(openingQty = '0', openingEntry = '0') {
    this.qty = dec(openingQty);
    this.cost = D.mul(this.qty, dec(openingEntry));
  }

  /** Restarts from a position the store reports (before any fill of ours was booked here). */
  reset(qty: string, avgEntry: string): void {
    this.qty = dec(qty);
    this.cost = D.mul(this.qty, dec(avgEntry));
  }

  fill(side: Side, price: string, size: string, fee: string): void {
    const p = dec(price);
    const q = dec(size);
    const signedQ = side === 'buy' ? q : D.neg(q);
    const f = dec(fee);
    if (f >= 0n) this.feesPaid = D.add(this.feesPaid, f);
    else this.rebates = D.sub(this.rebates, f);
    if (this.qty === 0n || D.sign(this.qty) === D.sign(signedQ)) {
      this.qty = D.add(this.qty, signedQ);
      this.cost = D.add(this.cost, D.mul(signedQ, p));
      return;
    }
    const open = D.abs(this.qty);
    const closed = D.min(q, open);
    const released = closed === open ? this.cost : (D.divInt(this.cost * closed, open, 'half-even') as Decimal);
    // Closing a long sells at p: realized = closed·p − released cost (mirrored for a short).
    const proceeds = D.mul(closed, p);
    this.realized = D.add(this.realized, this.qty > 0n ? D.sub(proceeds, released) : D.sub(D.neg(released), proceeds));
    this.cost = D.sub(this.cost, released);
    this.qty = D.add(this.qty, signedQ);
    if (q > open) this.cost = D.mul(this.qty, p); // crossed zero: the rest opens at p
  }

  position(): Decimal {
    return this.qty;
  }

  realizedPnl(): Decimal {
    return this.realized;
  }

  unrealizedPnl(mark: number | undefined): Decimal {
    if (mark === undefined || this.qty === 0n) return D.ZERO;
    return D.sub(D.mul(this.qty, dec(mark)), this.cost);
  }

  fees(): Decimal {
    return this.feesPaid;
  }

  rebatesReceived(): Decimal {
    return this.rebates;
  }
}
