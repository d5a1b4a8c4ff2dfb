import type { QuoteCheck } from './types.js';

/**
 * Order rate: the placements this set needs must fit in what the venue's
 * sliding 1 s window has left (ctx.ordersAvailable, from OrderRateWindow).
 * A quote unchanged from the previous approved set places nothing and passes.
 */
export const checkOrderRate: QuoteCheck = (_c, p, ctx, limits) => {
  const available = ctx.ordersAvailable;
  if (available === undefined || !p.placement || p.placementsAfter <= available) return undefined;
  const max = limits.maxOrdersPerSecond === undefined ? '' : ` of max ${limits.maxOrdersPerSecond} orders/s`;
  return `placement ${p.placementsAfter} > ${available} left in the last second${max}`;
};
