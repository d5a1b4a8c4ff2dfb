import { type Decimal, type Fill, D, dec, sideSign, toText, ZERO } from '@perpetua/core';
import type { Position } from './position.js';

/**
 * Average-cost position accounting, pure and exact (bigint decimals, 18 places).
 *
 * The position keeps its exact cost basis C (signed notional of the open qty Q).
 * - A fill that grows |Q| adds its notional to C.
 * - A fill that shrinks |Q| by c releases the share c/|Q| of C and realizes
 *   sign(Q)·c·price − released, i.e. c·(exit − C/Q)·sign(Q).
 * - A fill that crosses zero closes all of Q (releasing all of C) and opens the
 *   rest at the fill price.
 * The one rounding (the released share of C, half-even at 18 places) moves value
 * between realized and cost basis, never out of the books: realized − C always
 * equals minus the signed sum of fill notionals, so realized + unrealized at a mark
 * is exactly the cash PnL of the fills marked at that price.
 */

export class LedgerError extends Error {
  override name = 'LedgerError';
}

export type LedgerFill = Pick<Fill, 'fillId' | 'venue' | 'account' | 'symbol' | 'side' | 'price' | 'qty' | 'fee' | 'tsReceived'>;

export function applyFillToPosition(position: Position, fill: LedgerFill): Position {
  if (fill.venue !== position.venue || fill.account !== position.account || fill.symbol !== position.symbol) {
    throw new LedgerError(
      `fill ${fill.fillId} is for ${fill.venue}/${fill.account}/${fill.symbol}, not position ${position.venue}/${position.account}/${position.symbol}`,
    );
  }
  const price = dec(fill.price);
  const size = dec(fill.qty);
  if (price <= 0n) throw new LedgerError(`fill ${fill.fillId}: price must be positive, got ${fill.price}`);
  if (size <= 0n) throw new LedgerError(`fill ${fill.fillId}: qty must be positive, got ${fill.qty}`);

  const s = sideSign(fill.side);
  const qty = dec(position.qty);
  const cost = dec(position.costBasis);
  let realized = dec(position.realizedPnl);
  let newQty: Decimal;
  let newCost: Decimal;

  if (qty === 0n || D.sign(qty) === s) {
    // Opening or adding: the average entry moves, weighted by size.
    newQty = D.add(qty, s === 1 ? size : D.neg(size));
    newCost = D.add(cost, signed(s, D.mul(size, price)));
  } else {
    const open = D.abs(qty);
    const posSign = D.sign(qty);
    if (size <= open) {
      // Reducing (possibly to flat): release this fill's share of the cost basis.
      const released = (size === open ? cost : D.divInt(cost * size, open, 'half-even')) as Decimal;
      realized = D.add(realized, D.sub(signed(posSign, D.mul(size, price)), released));
      newQty = D.add(qty, signed(s, size));
      newCost = D.sub(cost, released);
    } else {
      // Crossing zero: close everything at the fill price, open the rest there too.
      const closeNotional = D.mul(open, price);
      realized = D.add(realized, D.sub(signed(posSign, closeNotional), cost));
      newQty = D.add(qty, signed(s, size));
      // The opened part's notional is the fill's notional less the closed part's, so the
      // books stay exact even where mul rounded.
      newCost = signed(s, D.sub(D.mul(size, price), closeNotional));
    }
  }

  return {
    ...position,
    qty: toText(newQty),
    costBasis: toText(newCost),
    avgEntry: toText(avgEntryOf(newCost, newQty)),
    realizedPnl: toText(realized),
    fees: toText(D.add(dec(position.fees), dec(fill.fee))),
    fills: position.fills + 1,
    updatedAt: Math.max(position.updatedAt, fill.tsReceived),
  };
}

/** Books a funding payment: positive paid by us (a cost, like fees), negative received. */
export function applyFunding(position: Position, amount: string | Decimal, at: number = position.updatedAt): Position {
  const a = typeof amount === 'string' ? dec(amount) : amount;
  return { ...position, funding: toText(D.add(dec(position.funding), a)), updatedAt: Math.max(position.updatedAt, at) };
}

/** PnL of the open qty at a mark price: Q·mark − costBasis, exact. */
export function unrealizedPnl(position: Position, markPrice: string | Decimal): Decimal {
  const mark = typeof markPrice === 'string' ? dec(markPrice) : markPrice;
  return D.sub(D.mul(dec(position.qty), mark), dec(position.costBasis));
}

/** Everything the position has made or lost at a mark: realized + unrealized − fees − funding. */
export function netPnl(position: Position, markPrice: string | Decimal): Decimal {
  const gross = D.add(dec(position.realizedPnl), unrealizedPnl(position, markPrice));
  return D.sub(D.sub(gross, dec(position.fees)), dec(position.funding));
}

/** Average entry from cost basis and qty: 18 places half-even, 0 when flat. */
export function avgEntryOf(costBasis: Decimal, qty: Decimal): Decimal {
  return qty === 0n ? ZERO : D.div(costBasis, qty);
}

function signed(s: -1 | 0 | 1, value: Decimal): Decimal {
  return s === -1 ? D.neg(value) : value;
}
