/**
 * Cross-venue edge: buy on venue A at its asks, sell on venue B at its bids,
 * both as taker.
 *
 * THE RULE (whole-trade edge, exact cut at the last level)
 *
 *   cost(Q)     = Σ ask price × size taken from A's asks, best first
 *   proceeds(Q) = Σ bid price × size taken from B's bids, best first
 *   netEdge(Q)  = (proceeds(Q)·(1 − fB) − cost(Q)·(1 + fA)) / (cost(Q)·(1 + fA))
 *
 * The answer is the largest Q (≤ caps) with netEdge(Q) ≥ threshold t. Writing
 * surplus(Q) = proceeds(Q)·(1 − fB) − (1 + t)·(1 + fA)·cost(Q), the condition is
 * surplus(Q) ≥ 0. surplus(0) = 0 and on each stretch where both books stay on
 * one level it is linear with slope bid·(1 − fB) − (1 + t)·(1 + fA)·ask: the
 * marginal edge of that slice over the threshold. Asks rise and bids fall as Q
 * grows, so the slope only falls: surplus is concave. Therefore:
 *   - there is an opportunity iff the top-of-book net edge is ≥ t (first slope ≥ 0);
 *     if not, no quantity can have a whole-trade edge ≥ t;
 *   - the walk takes whole slices while the surplus stays ≥ 0. A slice whose own
 *     marginal edge is below t (even negative) is still taken as long as the surplus
 *     earned on the better slices pays for it;
 *   - the last, partial slice is cut exactly where the surplus returns to zero
 *     (Q = Q0 + surplus(Q0) / −slope), i.e. where the whole trade's net edge equals t.
 * So `qty` is the largest quantity, not the most profitable one: profit above the
 * threshold peaks earlier, where the marginal slope first turns negative. That
 * point is returned as `marginalQty` for whoever prefers it.
 *
 * Caps: `maxQty`; `sellBaseBalance` (base/position that can be sold on B);
 * `buyQuoteBalance` (quote on A: cost(Q)·(1 + fA) must fit, walked level by level,
 * not estimated from the best price). Since surplus is concave and ≥ 0 up to the
 * uncapped answer, any smaller cap keeps netEdge ≥ t.
 *
 * Precondition: asks ascending, bids descending (the detector checks this).
 *
 * Numbers, not Decimal: this is detection, and whoever trades re-snaps price and
 * size at the venue. Drift is kept out by construction: the quantity lands exactly
 * on cumulative level sizes (never `q += step` for a whole level), every sum runs
 * over at most `levels` terms of one walk, and nothing accumulates across updates.
 * netEdge at the returned qty is ≥ t up to rounding (~1e-15 relative).
 */

/** One price level, best first: [price, size]. */
export type PriceLevel = readonly [price: number, size: number];

export interface EdgeParams {
  /** Taker fee on the buy venue, as a fraction (0.0005 = 5 bp). */
  buyFee: number;
  /** Taker fee on the sell venue, as a fraction. */
  sellFee: number;
  /** Minimum whole-trade net edge, as a fraction (0.001 = 0.1 %). */
  threshold: number;
  /** Largest quantity to consider, in base units. */
  maxQty: number;
  /** Quote available on the buy venue; undefined = unknown, no cap. */
  buyQuoteBalance?: number | undefined;
  /** Base (or position) that can be sold on the sell venue; undefined = unknown, no cap. */
  sellBaseBalance?: number | undefined;
  /** Levels of each side to walk; default all given. */
  levels?: number | undefined;
}

export interface EdgeResult {
  qty: number;
  /** Largest quantity at which every slice still has a marginal net edge ≥ threshold (profit-maximising cut), ≤ qty. */
  marginalQty: number;
  buyVwap: number;
  sellVwap: number;
  /** (sellVwap − buyVwap) / buyVwap, before fees. */
  grossEdge: number;
  netEdge: number;
  /** proceeds·(1 − fB) − cost·(1 + fA), in quote. */
  netProfit: number;
  /** Best ask on A, best bid on B. */
  bestBuy: number;
  bestSell: number;
}

/** `out`, when given, is filled and returned instead of a new object (the detector's hot path reuses one). */
export function evaluateEdge(asks: readonly PriceLevel[], bids: readonly PriceLevel[], p: EdgeParams, out?: EdgeResult): EdgeResult | undefined {
  const nA = p.levels === undefined ? asks.length : Math.min(asks.length, p.levels);
  const nB = p.levels === undefined ? bids.length : Math.min(bids.length, p.levels);
  if (nA === 0 || nB === 0) return undefined;
  const buyMul = 1 + p.buyFee;
  const sellMul = 1 - p.sellFee;
  const hurdle = (1 + p.threshold) * buyMul;
  const bestBuy = asks[0]![0];
  const bestSell = bids[0]![0];
  // Concave surplus: if the first slice is below the threshold, every quantity is (the common, allocation-free exit).
  if (bestSell * sellMul - hurdle * bestBuy < 0) return undefined;

  let limit = p.maxQty;
  if (p.sellBaseBalance !== undefined && p.sellBaseBalance < limit) limit = p.sellBaseBalance;
  const budget = p.buyQuoteBalance ?? Number.POSITIVE_INFINITY;
  if (!(limit > 0) || !(budget > 0)) return undefined;

  let q = 0;
  let cost = 0;
  let proceeds = 0;
  let surplus = 0;
  let marginalQty = -1;
  let i = 0;
  let j = 0;
  // Cumulative depth at the end of the current level on each side.
  let endA = asks[0]![1];
  let endB = bids[0]![1];
  walk: for (;;) {
    while (endA <= q) {
      if (++i >= nA) break walk;
      endA += asks[i]![1];
    }
    while (endB <= q) {
      if (++j >= nB) break walk;
      endB += bids[j]![1];
    }
    const ask = asks[i]![0];
    const bid = bids[j]![0];
    const slope = bid * sellMul - hurdle * ask;
    if (slope < 0 && marginalQty < 0) marginalQty = q;
    const next = Math.min(endA, endB, limit);
    let step = next - q;
    let partial = false;
    let last = next >= limit;
    const affordable = (budget - cost * buyMul) / (ask * buyMul);
    if (affordable < step) {
      step = affordable;
      partial = true;
      last = true;
    }
    if (slope < 0) {
      const toZero = surplus / -slope;
      if (toZero < step) {
        step = toZero;
        partial = true;
        last = true;
      }
    }
    if (!(step > 0)) break;
    cost += step * ask;
    proceeds += step * bid;
    surplus += step * slope;
    // A whole slice ends exactly on the cumulative depth: no creeping remainder.
    q = partial ? q + step : next;
    if (last) break;
  }
  if (!(q > 0)) return undefined;
  const netCost = cost * buyMul;
  const netProfit = proceeds * sellMul - netCost;
  const r = out ?? emptyEdgeResult();
  r.qty = q;
  r.marginalQty = marginalQty < 0 ? q : marginalQty;
  r.buyVwap = cost / q;
  r.sellVwap = proceeds / q;
  r.grossEdge = (proceeds - cost) / cost;
  r.netEdge = netProfit / netCost;
  r.netProfit = netProfit;
  r.bestBuy = bestBuy;
  r.bestSell = bestSell;
  return r;
}

/** A result with every field set, so reused objects keep one shape. */
export function emptyEdgeResult(): EdgeResult {
  return { qty: 0, marginalQty: 0, buyVwap: 0, sellVwap: 0, grossEdge: 0, netEdge: 0, netProfit: 0, bestBuy: 0, bestSell: 0 };
}
