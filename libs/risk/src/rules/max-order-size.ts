import { dec } from '@perpetua/core';
import type { QuoteCheck } from './types.js';

/** No single order larger than maxOrderSize (base); equal passes. */
export const checkMaxOrderSize: QuoteCheck = (c, _p, _ctx, limits) =>
  c.qty > dec(limits.maxOrderSize) ? `size ${c.quote.qty} > max order size ${limits.maxOrderSize}` : undefined;
