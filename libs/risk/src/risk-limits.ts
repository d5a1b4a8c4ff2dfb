import { z } from 'zod';
import { PositiveDecimalText } from '@perpetua/core';

/**
 * Limits risk enforces on every intent. Base sizes and quote-currency amounts
 * are decimal text (money stays exact); basis points, milliseconds and counts
 * are plain numbers. Every limit after the first two is optional: an absent
 * limit switches its rule off (maxThroughBookBps still defaults to 0 for
 * post-only quotes), so configs written as `{ maxPosition, maxOrderSize }`
 * keep parsing and keep their meaning.
 */
export const RiskLimits = z.object({
  /** Largest absolute position per symbol (base), counting every resting quote of a side as if it filled. */
  maxPosition: PositiveDecimalText,
  /** Largest single order (base). */
  maxOrderSize: PositiveDecimalText,
  /** Largest single order notional, price × qty (quote currency). */
  maxOrderNotional: PositiveDecimalText.optional(),
  /** Largest worst-case position notional per symbol (quote currency): current position at mark plus every same-side quote at its price. */
  maxPositionNotional: PositiveDecimalText.optional(),
  /** Largest notional across all venues and symbols (quote currency): Σ |position| × mark elsewhere plus this symbol's worst case. */
  maxTotalNotional: PositiveDecimalText.optional(),
  /** Most orders resting per venue + account + symbol: this set plus other strategies' approved quotes. */
  maxOpenOrders: z.number().int().nonnegative().optional(),
  /** How far a buy may sit above the best ask (a sell below the best bid), in bps. Unset: 0 for post-only quotes, unchecked otherwise. */
  maxThroughBookBps: z.number().nonnegative().finite().optional(),
  /** How far any price may sit from the mark (mid when there is no mark), in bps. */
  maxFromMarkBps: z.number().nonnegative().finite().optional(),
  /** Stale-data guard: when set, a book older than this, flagged stale, crossed or missing rejects the whole set. */
  maxBookAgeMs: z.number().int().positive().optional(),
  /** Halt when equity now − equity at the UTC day's start ≤ −this (quote currency). */
  maxDailyLoss: PositiveDecimalText.optional(),
  /** Halt when equity now − the day's peak equity ≤ −this (quote currency). */
  maxDrawdown: PositiveDecimalText.optional(),
  /** Order placements per venue in any sliding 1 s window. */
  maxOrdersPerSecond: z.number().int().positive().optional(),
});
export type RiskLimits = z.infer<typeof RiskLimits>;
