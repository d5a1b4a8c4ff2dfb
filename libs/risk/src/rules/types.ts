import type { Decimal, Side, WantedQuote } from '@perpetua/core';
import type { RiskLimits } from '../risk-limits.js';
import type { LiveOrder } from '../order-exposure-cache.js';

/** Every reason risk can refuse a quote; the name is the `rule` label on rejects and metrics. */
export type RiskRule =
  | 'halted'
  | 'stale_data'
  | 'max_order_size'
  | 'max_order_notional'
  | 'max_position'
  | 'max_position_notional'
  | 'max_total_notional'
  | 'max_open_orders'
  | 'price_through_book'
  | 'price_from_mark'
  | 'self_trade'
  | 'order_rate';

export interface QuoteReject {
  slot: string;
  rule: RiskRule;
  /** Names the numbers, e.g. "size 0.2 > max order size 0.1". */
  detail: string;
}

export interface QuoteSetDecision {
  /** Approved quotes in evaluation order (closest to the touch first). */
  approved: WantedQuote[];
  rejects: QuoteReject[];
}

/** The symbol's market as risk last saw it. Prices are exact decimals (`dec(number)` of a book price is exact). */
export interface MarketView {
  bestBid?: Decimal;
  bestAsk?: Decimal;
  mark?: Decimal;
  /** The gateway's own stale flag (no update for too long, or resyncing). */
  stale: boolean;
  /** When the gateway published this book (ms since epoch). */
  tsPublished: number;
}

/** A position held elsewhere (another venue or symbol), for the total-notional limit. */
export interface OtherPosition {
  venue: string;
  symbol: string;
  /** Signed base quantity. */
  position: Decimal;
  mark: Decimal;
}

/** Another strategy's currently approved quote on the same venue and symbol. */
export interface OtherQuote {
  strategy: string;
  slot: string;
  side: Side;
  price: string;
}

/** Everything a quote set is judged against; plain data, no I/O. */
export interface QuoteSetContext {
  quotes: readonly WantedQuote[];
  /** Current signed position of this venue + account + symbol. */
  position: Decimal;
  otherPositions?: readonly OtherPosition[];
  /** Absent means no book is known (the stale-data guard, when on, rejects the set). */
  market?: MarketView;
  now: number;
  otherQuotes?: readonly OtherQuote[];
  halted: boolean;
  haltReason?: string;
  /** Placements the venue's OrderRateWindow still allows now; absent switches the rate rule off. */
  ordersAvailable?: number;
  /** This strategy's previously approved set: a quote identical to its slot's previous one places no order. Ignored when `live` is given. */
  previous?: readonly WantedQuote[];
  /**
   * Everything resting or in flight on this venue + account + symbol (OrderExposureCache.live), the
   * strategy's own orders included: the worst case counts all of it filling. A live order of `strategy`
   * identical to a wanted quote in its slot is that quote (no new order); every other one counts until
   * the venue confirms it gone. Absent: nothing is known to rest but `otherQuotes` (for the open-order count).
   */
  live?: readonly LiveOrder[];
  /** The strategy whose set this is (to recognise its own live orders in `live`). */
  strategy?: string;
}

/** A quote with its numbers parsed once. */
export interface Candidate {
  quote: WantedQuote;
  price: Decimal;
  qty: Decimal;
}

/** A before → after pair: what approving the candidate would change. */
export interface Change<T> {
  before: T;
  after: T;
}

/**
 * What approving the candidate would make of the set so far. The evaluator
 * computes it; rules only compare it with their limit, so each rule stays a
 * few lines and all the bookkeeping lives in one place.
 */
export interface Projection {
  /** Quotes of this set approved before this one. */
  approved: readonly Candidate[];
  /** Worst-case signed position on the candidate's side (every same-side quote filled). */
  position: Change<Decimal>;
  /** Worst-case notional of this symbol on the candidate's side (quote currency, ≥ 0). */
  notional: Change<Decimal>;
  /** Σ other positions' notional + the larger side of this symbol. */
  totalNotional: Change<Decimal>;
  /** Orders resting on venue + account + symbol if this one is approved. */
  openOrdersAfter: number;
  /** Whether this quote needs a new placement (new slot or changed). */
  placement: boolean;
  /** Placements this set needs so far, counting this one when it is one. */
  placementsAfter: number;
}

/** A per-quote rule: the reject detail, or undefined when the quote passes. */
export type QuoteCheck = (c: Candidate, p: Projection, ctx: QuoteSetContext, limits: RiskLimits) => string | undefined;

/** A rule over the whole set (halted, stale data): the detail given to every quote, or undefined. */
export type SetCheck = (ctx: QuoteSetContext, limits: RiskLimits) => string | undefined;
