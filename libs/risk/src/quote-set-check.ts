import type { Decimal, WantedQuote } from '@perpetua/core';
import { evaluateQuoteSet } from './evaluate-quote-set.js';
import type { RiskLimits } from './risk-limits.js';
import type { QuoteSetDecision } from './rules/types.js';

/**
 * The original entry point, kept for callers that only know the position:
 * evaluateQuoteSet without a market view, other positions or other quotes.
 * Limits that need a book (maxBookAgeMs) will refuse the set here; give those
 * callers evaluateQuoteSet with the market instead.
 */
export function checkQuoteSet(quotes: readonly WantedQuote[], position: Decimal, limits: RiskLimits, halted: boolean): QuoteSetDecision {
  const { approved, rejects } = evaluateQuoteSet({ quotes, position, halted, now: 0 }, limits);
  return { approved, rejects };
}
