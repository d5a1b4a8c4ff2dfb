import { ZERO, dec, type WantedQuote } from '@perpetua/core';
import { evaluateQuoteSet, type EvaluatedQuoteSet } from '../src/evaluate-quote-set.js';
import type { RiskLimits } from '../src/risk-limits.js';
import type { MarketView, QuoteSetContext, RiskRule } from '../src/rules/types.js';

export const NOW = 1_700_000_000_000;

/** Limits loose enough that only the rule under test binds. */
export const loose: RiskLimits = { maxPosition: '1000000', maxOrderSize: '1000000' };

export const q = (slot: string, side: 'buy' | 'sell', price: string, qty = '1', postOnly = true): WantedQuote => ({ slot, side, price, qty, postOnly });

export const market = (bid: string | undefined, ask: string | undefined, over: Partial<MarketView> = {}): MarketView => ({
  ...(bid === undefined ? {} : { bestBid: dec(bid) }),
  ...(ask === undefined ? {} : { bestAsk: dec(ask) }),
  stale: false,
  tsPublished: NOW,
  ...over,
});

export const ctx = (quotes: readonly WantedQuote[], over: Partial<QuoteSetContext> = {}): QuoteSetContext => ({ quotes, position: ZERO, halted: false, now: NOW, ...over });

export const run = (quotes: readonly WantedQuote[], limits: Partial<RiskLimits>, over: Partial<QuoteSetContext> = {}): EvaluatedQuoteSet =>
  evaluateQuoteSet(ctx(quotes, over), { ...loose, ...limits });

export const approvedSlots = (d: EvaluatedQuoteSet): string[] => d.approved.map((a) => a.slot);

/** The rule that refused `slot`, or undefined when it was approved. */
export const ruleOf = (d: EvaluatedQuoteSet, slot: string): RiskRule | undefined => d.rejects.find((r) => r.slot === slot)?.rule;

export const detailOf = (d: EvaluatedQuoteSet, slot: string): string | undefined => d.rejects.find((r) => r.slot === slot)?.detail;

/** Whether a single quote passes (true) or is refused by `rule` (false); throws on any other outcome. */
export function passes(d: EvaluatedQuoteSet, slot: string, rule: RiskRule): boolean {
  if (d.approved.some((a) => a.slot === slot)) return true;
  const r = ruleOf(d, slot);
  if (r !== rule) throw new Error(`${slot} refused by ${String(r)}, expected ${rule}: ${detailOf(d, slot) ?? ''}`);
  return false;
}
