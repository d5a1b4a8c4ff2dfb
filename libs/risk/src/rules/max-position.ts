import { D, dec, toText } from '@perpetua/core';
import type { QuoteCheck } from './types.js';

/**
 * Worst-case position per symbol: every same-side quote counted as filled
 * must stay within ±maxPosition (equal passes). Only the side that grows the
 * exposure is limited, so a reducing quote passes even beyond the limit.
 */
export const checkMaxPosition: QuoteCheck = (c, p, _ctx, limits) => {
  const max = dec(limits.maxPosition);
  const next = p.position.after;
  if (c.quote.side === 'buy' && next > max) return `position could reach ${toText(next)} > max ${limits.maxPosition}`;
  if (c.quote.side === 'sell' && next < D.neg(max)) return `position could reach ${toText(next)} < -${limits.maxPosition}`;
  return undefined;
};
