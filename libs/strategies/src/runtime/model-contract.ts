import type { BookMessage, Instrument, MarkMessage, TradeMessage } from '@perpetua/core';

/**
 * The pricing-model contract the runtime hosts (the models themselves live in
 * ../model and ../models). A model turns market events and a context into the
 * level-0 quote of each side; the runtime owns everything else (levels,
 * snapping, position caps, refresh, cool-downs, pauses).
 */
export type MarketEvent = { kind: 'book'; ts: number; book: BookMessage } | { kind: 'trade'; ts: number; trade: TradeMessage } | { kind: 'mark'; ts: number; mark: MarkMessage };

export interface PricingContext {
  now: number;
  bestBid: number;
  bestAsk: number;
  mid: number;
  mark?: number;
  /** Signed position, base units. */
  position: number;
  maxPosition: number;
  instrument: Instrument;
}

/** Level 0 of one side: the runtime expands levels and snaps. */
export interface QuoteSide {
  price: number;
  size: number;
}

export interface LevelZero {
  bid?: QuoteSide;
  ask?: QuoteSide;
}

/** An order resting on the venue as it confirmed it. */
export interface RestingQuote {
  side: 'buy' | 'sell';
  price: number;
  qty: number;
}

export interface PricingModel {
  onMarketEvent(e: MarketEvent): void;
  /** null: cannot quote yet (estimators still filling): the runtime pulls its quotes. */
  quote(ctx: PricingContext): LevelZero | null;
  /** false: what rests no longer serves the model (e.g. drifted out of a band): requote now, whatever the refresh time. */
  accepts?(resting: readonly RestingQuote[], ctx: PricingContext): boolean;
  diagnostics(): Record<string, number>;
}
