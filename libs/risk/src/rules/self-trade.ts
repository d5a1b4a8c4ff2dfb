import { dec } from '@perpetua/core';
import type { Candidate, QuoteCheck } from './types.js';

/**
 * Self-trade prevention: a buy at or above any of our sells on the same venue
 * and symbol (or a sell at or below any of our buys) would trade with
 * ourselves. Counted against quotes approved earlier in this set and other
 * strategies' approved quotes, so the later / inner quote is the one refused.
 */
export const checkSelfTrade: QuoteCheck = (c, p, ctx) => {
  for (const a of p.approved) {
    if (crosses(c, a.quote.side, a.price)) return `${c.quote.side} ${c.quote.price} would trade with our ${a.quote.side} ${a.quote.slot} at ${a.quote.price} in this set`;
  }
  for (const o of ctx.otherQuotes ?? []) {
    if (crosses(c, o.side, dec(o.price))) return `${c.quote.side} ${c.quote.price} would trade with our ${o.side} ${o.slot} at ${o.price} (strategy ${o.strategy})`;
  }
  return undefined;
};

/** Whether our quote `c` would trade with an order of ours on `side` at `price` (a function, not a closure per check). */
function crosses(c: Candidate, side: string, price: bigint): boolean {
  return side !== c.quote.side && (c.quote.side === 'buy' ? c.price >= price : c.price <= price);
}
