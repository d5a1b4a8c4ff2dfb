import { dec, toText } from '@perpetua/core';
import type { QuoteCheck } from './types.js';

/**
 * Worst-case notional per symbol (quote currency): current position at mark
 * plus every same-side quote at its own price. A quote that lowers the
 * notional passes even above the limit; equal passes.
 */
export const checkMaxPositionNotional: QuoteCheck = (_c, p, _ctx, limits) => {
  if (limits.maxPositionNotional === undefined) return undefined;
  const { before, after } = p.notional;
  if (after <= dec(limits.maxPositionNotional) || after <= before) return undefined;
  return `position notional could reach ${toText(after)} > max ${limits.maxPositionNotional}`;
};
