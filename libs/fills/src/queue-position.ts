/**
 * Where our resting order stands in its price level's queue. The sizes are
 * estimates in base units (plain numbers, like the market-data books): the feed
 * shows the level's total, never who is in front of us. Fill quantities leave
 * the model as whole lots and become exact decimals in the fill simulator.
 */
export interface QueuePosition {
  /** Size estimated to rest ahead of us at our price (never negative). */
  ahead: number;
  /** Size traded at our price since the last depth change, so a depth drop that the trades explain is not counted twice. */
  tradedSinceDepth: number;
}

/** A new order joins the back of its level: everything already resting there is ahead of it. */
export function joinQueue(levelQty: number): QueuePosition {
  return { ahead: Math.max(0, levelQty), tradedSinceDepth: 0 };
}

/**
 * A trade of `qty` at our price eats the queue from the front. Returns the size
 * that reached us (the part beyond what was ahead), which the caller fills up to
 * the order's remaining size.
 */
export function advanceByTrade(q: QueuePosition, qty: number): number {
  q.tradedSinceDepth += qty;
  if (qty <= q.ahead) {
    q.ahead -= qty;
    return 0;
  }
  const reached = qty - q.ahead;
  q.ahead = 0;
  return reached;
}
