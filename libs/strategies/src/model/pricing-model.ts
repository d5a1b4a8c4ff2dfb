import type { BookMessage, TradeMessage, MarkMessage, Instrument } from '@perpetua/core';

/**
 * The pricing half of a strategy: a pure model that turns market events and
 * the strategy's state into the level-0 quotes it wants. The runtime hosts it
 * (clock, levels, snapping, refresh, risk caps); the model never does I/O and
 * reads time only from the events and the context it is handed.
 */
export type MarketEvent =
  | { kind: 'book'; ts: number; book: BookMessage }
  | { kind: 'trade'; ts: number; trade: TradeMessage }
  | { kind: 'mark'; ts: number; mark: MarkMessage };

export interface PricingContext {
  /** Milliseconds since the epoch, from the injected clock (never Date.now). */
  now: number;
  bestBid: number;
  bestAsk: number;
  mid: number;
  /** The venue's mark price when known. */
  mark?: number;
  /** Signed position in base units, as the venue confirmed it (fills). */
  position: number;
  /** Base units, > 0. */
  maxPosition: number;
  instrument: Instrument;
}

/** Level 0 of one side, in floats; the runtime expands levels and snaps to tick and lot at the edge. */
export interface QuoteSide {
  price: number;
  size: number;
  /** The farthest price any level of this side may take (a bid's lowest, an ask's highest); levels beyond it sit at it. */
  limit?: number;
}

export interface LevelZero {
  bid?: QuoteSide;
  ask?: QuoteSide;
}

/** An order resting on the venue, as the venue confirmed it. */
export interface RestingQuote {
  side: 'buy' | 'sell';
  price: number;
  qty: number;
}

export interface PricingModel {
  /**
   * True for a model without state whose quote() and accepts() read nothing
   * but their arguments, and of the context not `now` (onMarketEvent does
   * nothing): the same prices, position and resting orders give the same
   * answer at any time. The runtime then skips re-deciding on a book whose
   * touch did not move while nothing else changed (strategy-instance.ts).
   */
  readonly stateless?: boolean;
  /** Feeds the model's estimators (volatility, trade intensity, mark). */
  onMarketEvent(e: MarketEvent): void;
  /** null = cannot quote yet (warm-up, no data); a side may be absent. */
  quote(ctx: PricingContext): LevelZero | null;
  /** false when resting quotes no longer satisfy the model (e.g. maker-yield: drifted out of the band of the current mark). */
  accepts?(resting: readonly RestingQuote[], ctx: PricingContext): boolean;
  /** Named figures for stats (σ, κ, A, reservation price, half spread…); only finite numbers. */
  diagnostics(): Record<string, number>;
}
