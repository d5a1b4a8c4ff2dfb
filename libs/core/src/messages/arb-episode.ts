import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { DecimalText, NonNegativeDecimalText } from '../decimal-text.js';
import { Side } from './side.js';

/**
 * What each order of an arbitrage episode was for: the two entry legs, the
 * completion of a leg that fell short (on its own venue), and the unwind of
 * the excess on the venue that filled more.
 */
export const ArbLegRole = z.enum(['buy', 'sell', 'complete', 'unwind']);
export type ArbLegRole = z.infer<typeof ArbLegRole>;

export const ArbLegReport = z.strictObject({
  role: ArbLegRole,
  venue: z.string().min(1),
  side: Side,
  clientOrderId: z.string().min(1),
  /** Limit price sent. */
  price: DecimalText,
  qty: DecimalText,
  filledQty: NonNegativeDecimalText,
  /** Volume-weighted fill price, when anything filled. */
  avgPrice: DecimalText.optional(),
  fee: DecimalText,
  /** The order's last status; refused = risk said no, timeout = no final status in time. */
  status: z.enum(['filled', 'partially_filled', 'canceled', 'expired', 'rejected', 'refused', 'timeout']),
  reason: z.string().max(500).optional(),
});
export type ArbLegReport = z.infer<typeof ArbLegReport>;

/**
 * complete: both legs filled alike; hedged: a short leg was completed on its venue;
 * unwound: the excess was traded back where it filled; nothing_filled: neither leg traded;
 * unhedged: exposure beyond the tolerance is left (execution pauses, an operator must look).
 */
export const ArbEpisodeOutcome = z.enum(['complete', 'hedged', 'unwound', 'nothing_filled', 'unhedged']);
export type ArbEpisodeOutcome = z.infer<typeof ArbEpisodeOutcome>;

/** arb.episode.<symbol>: one executed opportunity, from the entry legs to a flat (or reported) position. */
export const ArbEpisodeMessage = z.strictObject({
  episodeId: z.string().min(1),
  symbol: CanonicalSymbol,
  buyVenue: z.string().min(1),
  sellVenue: z.string().min(1),
  /** What the detector saw when the episode started. */
  detected: z.strictObject({ netEdge: z.number().finite(), qty: z.number().positive(), netProfit: z.number().finite() }),
  legs: z.array(ArbLegReport).max(16),
  outcome: ArbEpisodeOutcome,
  /** Quantity bought and sold alike (base). */
  matchedQty: NonNegativeDecimalText,
  /** Net base quantity left: bought − sold over every leg; 0 when flat. */
  residual: DecimalText,
  /** Cash of every leg: sells − buys − fees (quote currency). With a zero residual it is the realized profit. */
  cashFlow: DecimalText,
  /** cashFlow over the matched buy notional, when anything matched and the residual is within tolerance. */
  realizedEdge: z.number().finite().optional(),
  startedAt: z.number(),
  durationMs: z.number().nonnegative(),
  ts: z.number(),
});
export type ArbEpisodeMessage = z.infer<typeof ArbEpisodeMessage>;
