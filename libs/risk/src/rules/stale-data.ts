import { toText } from '@perpetua/core';
import type { SetCheck } from './types.js';

/**
 * Stale-data guard (on when maxBookAgeMs is set): no quoting from a book that
 * is missing, flagged stale by the gateway, older than the limit, or crossed —
 * every price rule downstream would be judged against a wrong market.
 */
export const checkStaleData: SetCheck = (ctx, limits) => {
  const maxAge = limits.maxBookAgeMs;
  if (maxAge === undefined) return undefined;
  const m = ctx.market;
  if (!m) return 'no book for the symbol';
  if (m.stale) return 'book is flagged stale';
  const age = ctx.now - m.tsPublished;
  if (age > maxAge) return `book age ${age} ms > max ${maxAge} ms`;
  if (m.bestBid !== undefined && m.bestAsk !== undefined && m.bestBid >= m.bestAsk) {
    return `book is crossed: best bid ${toText(m.bestBid)} >= best ask ${toText(m.bestAsk)}`;
  }
  return undefined;
};
