import { dec, toText } from '@perpetua/core';
import type { QuoteCheck } from './types.js';

/**
 * Notional across all venues and symbols: Σ |position| × mark elsewhere plus
 * this symbol's worst side. A quote that does not raise the total passes even
 * above the limit; equal passes.
 */
export const checkMaxTotalNotional: QuoteCheck = (_c, p, _ctx, limits) => {
  if (limits.maxTotalNotional === undefined) return undefined;
  const { before, after } = p.totalNotional;
  if (after <= dec(limits.maxTotalNotional) || after <= before) return undefined;
  return `total notional could reach ${toText(after)} > max ${limits.maxTotalNotional}`;
};
