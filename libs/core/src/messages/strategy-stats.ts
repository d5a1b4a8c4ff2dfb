import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';

const Amount = z.number().finite();
const Count = z.number().int().nonnegative();

/**
 * strategy.stats.<id>: one strategy instance's figures, every second. Money is
 * booked exactly (decimals) and shown here as numbers in the quote currency;
 * PnL since the instance started: realized and unrealized are gross, fees
 * (paid), rebates (received) and funding (paid, negative = received) are apart,
 * total = realized + unrealized − fees + rebates − funding.
 */
export const StrategyStatsMessage = z.object({
  strategy: z.string().regex(/^[A-Za-z0-9_-]{1,48}$/),
  venue: z.string().min(1),
  account: z.string().min(1),
  symbol: CanonicalSymbol,
  /** The model's kind (fixed-spread, adaptive, ...). */
  kind: z.string().min(1),
  ts: z.number(),
  /** Seconds since the instance started. */
  runningSec: z.number().nonnegative(),
  position: Amount,
  mid: z.number().positive().nullable(),
  realizedPnl: Amount,
  unrealizedPnl: Amount,
  fees: Amount,
  rebates: Amount,
  funding: Amount,
  totalPnl: Amount,
  /** Traded since start, base units and quote currency. */
  volumeBase: z.number().nonnegative(),
  volumeQuote: z.number().nonnegative(),
  /** Base volume per hour over max_position: how many times an hour the inventory turns over. */
  turnoverPerHour: z.number().nonnegative(),
  fills: Count,
  ordersPlaced: Count,
  ordersFilled: Count,
  /** Orders with at least one fill / orders placed (0 before the first order). */
  fillRate: z.number().min(0).max(1),
  /** Mean of each fill's distance from the mid at fill time, signed so that earning the spread is positive (bps, size-weighted); null before a fill. */
  avgCapturedSpreadBps: z.number().finite().nullable(),
  /** Best wanted ask − best wanted bid over the mid, bps; null while not two-sided. */
  quotedSpreadBps: z.number().finite().nullable(),
  /** Quote sets published after the first. */
  requotes: Count,
  paused: z.boolean(),
  /** Time spent in a volatility pause since start, seconds. */
  pausedSec: z.number().nonnegative(),
  /** The model's own figures (sigma, kappa, reservation price...). */
  model: z.record(z.string(), z.number()),
});
export type StrategyStatsMessage = z.infer<typeof StrategyStatsMessage>;
