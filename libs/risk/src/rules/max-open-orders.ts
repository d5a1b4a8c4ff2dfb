import type { QuoteCheck } from './types.js';

/** Open orders per venue + account + symbol (this set plus other strategies' quotes) ≤ maxOpenOrders. */
export const checkMaxOpenOrders: QuoteCheck = (_c, p, ctx, limits) => {
  const max = limits.maxOpenOrders;
  if (max === undefined || p.openOrdersAfter <= max) return undefined;
  return `open orders would be ${p.openOrdersAfter} > max ${max} (${ctx.otherQuotes?.length ?? 0} from other strategies)`;
};
