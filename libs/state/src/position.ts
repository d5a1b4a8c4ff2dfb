/**
 * One position in one symbol on one venue account, as the state store keeps it.
 * Every money field is canonical decimal text (see toText in @perpetua/core), so
 * two stores that did the same arithmetic produce string-equal positions.
 */
export interface Position {
  venue: string;
  account: string;
  symbol: string;
  /** Signed size in base units: positive long, negative short, "0" flat. */
  qty: string;
  /** Average entry price of the open qty (costBasis / qty, 18 places half-even); "0" when flat. */
  avgEntry: string;
  /**
   * Signed quote amount paid (+, long) or received (−, short) to open the current qty
   * under average cost. avgEntry is rounded for display; this is the exact figure the
   * PnL is booked from, so realized + unrealized always equals the fills' cash PnL.
   */
  costBasis: string;
  realizedPnl: string;
  /** Sum of the fills' fees; negative means net rebates earned. */
  fees: string;
  /** Sum of funding payments, same sign as fees: positive paid by us, negative received. */
  funding: string;
  /** Number of fills applied. */
  fills: number;
  /** Epoch ms of the latest fill or funding payment applied. */
  updatedAt: number;
}

export function emptyPosition(venue: string, account: string, symbol: string): Position {
  return { venue, account, symbol, qty: '0', avgEntry: '0', costBasis: '0', realizedPnl: '0', fees: '0', funding: '0', fills: 0, updatedAt: 0 };
}

/** Orders positions by venue, account, symbol (listPositions' order). */
export function comparePositions(a: Position, b: Position): number {
  return cmpText(a.venue, b.venue) || cmpText(a.account, b.account) || cmpText(a.symbol, b.symbol);
}

const cmpText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
