import type { Side } from '@perpetua/core';
import { evaluateQuoteSet } from './evaluate-quote-set.js';
import type { RiskLimits } from './risk-limits.js';
import type { QuoteSetContext, RiskRule } from './rules/types.js';

/** One immediate order (IOC/FOK): an arbitrage leg, a hedge or an unwind. */
export interface OrderCandidate {
  side: Side;
  /** Limit price (decimal text, snapped). */
  price: string;
  qty: string;
}

export type OrderDecision = { approved: true } | { approved: false; rule: RiskRule; detail: string };

/**
 * Judges one immediate order by the same rules as a quote set, so an arbitrage
 * leg cannot get around a limit a quote would hit: halted, stale data, order
 * size and notional, price bands, self-trade against our resting quotes (an
 * IOC that would hit our own quote is refused), position and notional limits,
 * order rate. The open-orders limit is the one rule left out: an IOC or FOK
 * never rests. Everything in `ctx.live` (resting orders, other legs still in
 * flight) counts as filling together with this one. Every order is a placement.
 */
export function evaluateOrder(order: OrderCandidate, ctx: Omit<QuoteSetContext, 'quotes' | 'previous' | 'strategy'>, limits: RiskLimits): OrderDecision {
  const { maxOpenOrders: _restingOnly, ...orderLimits } = limits;
  const decision = evaluateQuoteSet({ ...ctx, quotes: [{ slot: 'order', side: order.side, price: order.price, qty: order.qty, postOnly: false }] }, orderLimits);
  const reject = decision.rejects[0];
  return reject === undefined ? { approved: true } : { approved: false, rule: reject.rule, detail: reject.detail };
}
