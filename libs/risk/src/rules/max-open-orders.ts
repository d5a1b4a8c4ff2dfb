import type { QuoteCheck } from './types.js';

/** Open orders per venue + account + symbol (this set plus everything else resting or in flight) ≤ maxOpenOrders. */
export const checkMaxOpenOrders: QuoteCheck = (_c, p, ctx, limits) => {
  const max = limits.maxOpenOrders;
  if (max === undefined || p.openOrdersAfter <= max) return undefined;
  const others = ctx.live ? 'counting what rests or is in flight' : `${ctx.otherQuotes?.length ?? 0} from other strategies`;
  return `open orders would be ${p.openOrdersAfter} > max ${max} (${others})`;
};
