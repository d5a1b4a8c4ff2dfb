import { D, type Decimal, type Side } from '@perpetua/core';

/**
 * Position and PnL by average cost, exact: a fill that reduces the position
 * realizes (exit − entry) × qty; one that increases it moves the average entry.
 * Fees (paid positive), rebates and funding are kept apart from trading PnL so
 * the report can show each.
 */
export class PositionLedger {
  qty: Decimal = D.ZERO;
  /** Cost of the open position (signed qty × average entry). */
  private cost: Decimal = D.ZERO;
  realized: Decimal = D.ZERO;
  feesPaid: Decimal = D.ZERO;
  rebates: Decimal = D.ZERO;
  funding: Decimal = D.ZERO;

  fill(side: Side, price: Decimal, qty: Decimal, fee: Decimal): void {
    const signed = side === 'buy' ? qty : D.neg(qty);
    if (fee >= 0n) this.feesPaid = D.add(this.feesPaid, fee);
    else this.rebates = D.sub(this.rebates, fee);
    const same = this.qty === 0n || (this.qty > 0n) === (signed > 0n);
    if (same) {
      this.qty = D.add(this.qty, signed);
      this.cost = D.add(this.cost, D.mul(signed, price));
      return;
    }
    // Reducing (and maybe flipping): the closed part's share of the cost moves to realized, so realized +
    // unrealized stays exactly the cash flow plus the position's value (a rounded average would leak 1e-18s).
    const held = D.abs(this.qty);
    const closing = D.min(D.abs(signed), held);
    const portion = closing === held ? this.cost : D.div(D.mul(this.cost, closing), held);
    const direction = this.qty > 0n ? D.ONE : D.neg(D.ONE);
    this.realized = D.add(this.realized, D.sub(D.mul(D.mul(closing, price), direction), portion));
    this.cost = D.sub(this.cost, portion);
    const closedSigned = D.mul(closing, D.neg(direction));
    this.qty = D.add(this.qty, closedSigned);
    const rest = D.sub(signed, closedSigned);
    if (rest !== 0n) {
      this.qty = D.add(this.qty, rest);
      this.cost = D.mul(rest, price);
    }
    if (this.qty === 0n) this.cost = D.ZERO;
  }

  addFunding(amount: Decimal): void {
    this.funding = D.add(this.funding, amount);
  }

  avgEntry(): Decimal {
    return this.qty === 0n ? D.ZERO : D.abs(D.div(this.cost, this.qty));
  }

  unrealized(mark: Decimal): Decimal {
    return this.qty === 0n ? D.ZERO : D.sub(D.mul(this.qty, mark), this.cost);
  }

  /** Realized + unrealized − fees + rebates + funding. */
  total(mark: Decimal): Decimal {
    return D.add(D.add(D.sub(D.add(this.realized, this.unrealized(mark)), this.feesPaid), this.rebates), this.funding);
  }
}
