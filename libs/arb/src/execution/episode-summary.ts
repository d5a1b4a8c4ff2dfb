import { D, ZERO, toNumber, toText, type Decimal, type Side } from '@perpetua/core';

/** What one leg traded: filled quantity, its notional and fees (quote currency). */
export interface LegFills {
  side: Side;
  filledQty: Decimal;
  notional: Decimal;
  fee: Decimal;
}

export interface EpisodeSummary {
  bought: Decimal;
  sold: Decimal;
  matchedQty: Decimal;
  residual: Decimal;
  /** sells − buys − fees over every leg. */
  cashFlow: Decimal;
  /** cashFlow / matched buy notional; undefined when nothing matched or the residual exceeds the tolerance (not a realized number then). */
  realizedEdge: number | undefined;
}

/** An episode's numbers from its legs' fills, exactly; the edge is realized only once flat. */
export function summariseEpisode(legs: readonly LegFills[], tolerance: Decimal): EpisodeSummary {
  let bought = ZERO;
  let sold = ZERO;
  let buyNotional = ZERO;
  let cashFlow = ZERO;
  for (const l of legs) {
    if (l.side === 'buy') {
      bought = D.add(bought, l.filledQty);
      buyNotional = D.add(buyNotional, l.notional);
      cashFlow = D.sub(cashFlow, l.notional);
    } else {
      sold = D.add(sold, l.filledQty);
      cashFlow = D.add(cashFlow, l.notional);
    }
    cashFlow = D.sub(cashFlow, l.fee);
  }
  const matchedQty = D.min(bought, sold);
  const residual = D.sub(bought, sold);
  const flat = D.abs(residual) <= tolerance;
  const realizedEdge = flat && matchedQty > 0n && buyNotional > 0n ? toNumber(cashFlow) / toNumber(buyNotional) : undefined;
  return { bought, sold, matchedQty, residual, cashFlow, realizedEdge };
}

/** Volume-weighted price of a leg's fills as decimal text, or undefined when nothing filled. */
export function averagePrice(l: Pick<LegFills, 'filledQty' | 'notional'>): string | undefined {
  return l.filledQty > 0n ? toText(D.div(l.notional, l.filledQty)) : undefined;
}
