import { D, dec, toText, type Decimal, type WantedQuote } from '@perpetua/core';
import type { RiskLimits } from './risk-limits.js';

export type RiskRule = 'max_order_size' | 'max_position' | 'halted';

export interface QuoteReject {
  slot: string;
  rule: RiskRule;
  detail: string;
}

export interface QuoteSetDecision {
  approved: WantedQuote[];
  rejects: QuoteReject[];
}

/**
 * Pure check of a wanted quote set against the limits, given the current
 * signed position. Worst case counts: every approved buy is assumed to fill
 * together (and every sell), so a set can never take the position past the
 * limit even if all of one side fills at once. Quotes are considered closest to
 * the touch first, so the most useful ones survive when the limit binds.
 */
export function checkQuoteSet(quotes: readonly WantedQuote[], position: Decimal, limits: RiskLimits, halted: boolean): QuoteSetDecision {
  if (halted) return { approved: [], rejects: quotes.map((q) => ({ slot: q.slot, rule: 'halted', detail: 'trading is halted' })) };
  const maxOrder = dec(limits.maxOrderSize);
  const maxPos = dec(limits.maxPosition);
  const approved: WantedQuote[] = [];
  const rejects: QuoteReject[] = [];
  let worstLong = position;
  let worstShort = position;
  const ordered = [...quotes].sort((a, b) => {
    if (a.side !== b.side) return a.side === 'buy' ? -1 : 1;
    return a.side === 'buy' ? D.cmp(dec(b.price), dec(a.price)) : D.cmp(dec(a.price), dec(b.price));
  });
  for (const q of ordered) {
    const qty = dec(q.qty);
    if (qty > maxOrder) {
      rejects.push({ slot: q.slot, rule: 'max_order_size', detail: `size ${q.qty} > max order size ${limits.maxOrderSize}` });
      continue;
    }
    if (q.side === 'buy') {
      const next = D.add(worstLong, qty);
      if (next > maxPos) {
        rejects.push({ slot: q.slot, rule: 'max_position', detail: `position could reach ${toText(next)} > max ${limits.maxPosition}` });
        continue;
      }
      worstLong = next;
    } else {
      const next = D.sub(worstShort, qty);
      if (next < D.neg(maxPos)) {
        rejects.push({ slot: q.slot, rule: 'max_position', detail: `position could reach ${toText(next)} < -${limits.maxPosition}` });
        continue;
      }
      worstShort = next;
    }
    approved.push(q);
  }
  return { approved, rejects };
}
