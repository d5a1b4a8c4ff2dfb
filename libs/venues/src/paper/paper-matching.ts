import { D, dec, type Decimal, type Side } from '@perpetua/core';

/**
 * Paper fills, pure: a resting order fills when the market trades through it
 * (a public trade strictly beyond its price) or when the opposite touch crosses
 * it. Fills are at the order's own price, as a maker. Never more than the
 * order's remaining size.
 */
export interface RestingPaperOrder {
  clientOrderId: string;
  symbol: string;
  side: Side;
  price: Decimal;
  qty: Decimal;
  filled: Decimal;
}

export interface PaperFillDraft {
  clientOrderId: string;
  price: Decimal;
  qty: Decimal;
}

/** Fills caused by one public trade; `size` is the traded size available to fill resting orders. */
export function fillsFromTrade(orders: Iterable<RestingPaperOrder>, trade: { price: number; size: number }): PaperFillDraft[] {
  const tradePrice = dec(trade.price);
  let available = dec(trade.size);
  const out: PaperFillDraft[] = [];
  // Best-priced orders first, as a real book would match them.
  const eligible = [...orders]
    .filter((o) => (o.side === 'buy' ? tradePrice < o.price : tradePrice > o.price))
    .sort((a, b) => (a.side === 'buy' ? D.cmp(b.price, a.price) : D.cmp(a.price, b.price)));
  for (const o of eligible) {
    if (available <= 0n) break;
    const remaining = D.sub(o.qty, o.filled);
    if (remaining <= 0n) continue;
    const qty = D.min(remaining, available);
    available = D.sub(available, qty);
    out.push({ clientOrderId: o.clientOrderId, price: o.price, qty });
  }
  return out;
}

/** Fills caused by the book's touch crossing resting orders (the market moved through them). */
export function fillsFromTouch(orders: Iterable<RestingPaperOrder>, bestBid: number | undefined, bestAsk: number | undefined): PaperFillDraft[] {
  const out: PaperFillDraft[] = [];
  for (const o of orders) {
    const remaining = D.sub(o.qty, o.filled);
    if (remaining <= 0n) continue;
    const crossed = o.side === 'buy' ? bestAsk !== undefined && dec(bestAsk) < o.price : bestBid !== undefined && dec(bestBid) > o.price;
    if (crossed) out.push({ clientOrderId: o.clientOrderId, price: o.price, qty: remaining });
  }
  return out;
}

/** Would a new order cross the current touch (taker), given the book? */
export function wouldCross(side: Side, price: Decimal, bestBid: number | undefined, bestAsk: number | undefined): boolean {
  return side === 'buy' ? bestAsk !== undefined && price >= dec(bestAsk) : bestBid !== undefined && price <= dec(bestBid);
}
