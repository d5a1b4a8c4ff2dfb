import { D, dec, toText } from '@perpetua/core';
import type { QuoteCheck } from './types.js';

/** No single order worth more than maxOrderNotional (price × qty, quote currency); equal passes. */
export const checkMaxOrderNotional: QuoteCheck = (c, _p, _ctx, limits) => {
  if (limits.maxOrderNotional === undefined) return undefined;
  const notional = D.mul(c.price, c.qty);
  return notional > dec(limits.maxOrderNotional)
    ? `notional ${toText(notional)} (${c.quote.qty} × ${c.quote.price}) > max order notional ${limits.maxOrderNotional}`
    : undefined;
};
