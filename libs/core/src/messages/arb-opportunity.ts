import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { Trace } from './trace.js';

export const ArbEventKind = z.enum(['opened', 'updated', 'closed']);
export type ArbEventKind = z.infer<typeof ArbEventKind>;

/**
 * Why an opportunity closed: the edge fell below the threshold, or a book can no
 * longer be trusted (stale, crossed, one-sided or empty = missing, levels out of
 * order = invalid).
 */
export const ArbCloseReason = z.enum(['edge_gone', 'stale', 'crossed', 'missing', 'invalid']);
export type ArbCloseReason = z.infer<typeof ArbCloseReason>;

const Price = z.number().finite().positive();

/**
 * arb.opportunity.<symbol>: one lifecycle step of a cross-venue opportunity
 * (buy on `buyVenue` at its asks, sell on `sellVenue` at its bids). Values are
 * detection numbers, not order prices: whoever trades re-snaps at the venue.
 * A `closed` event repeats the last values seen while it was open.
 */
export const ArbOpportunityMessage = z.object({
  event: ArbEventKind,
  symbol: CanonicalSymbol,
  buyVenue: z.string().min(1),
  sellVenue: z.string().min(1),
  /** Best ask on the buy venue, best bid on the sell venue. */
  buyPrice: Price,
  sellPrice: Price,
  /** Volume-weighted prices over `qty` (before fees). */
  buyVwap: Price,
  sellVwap: Price,
  qty: z.number().finite().positive(),
  /** (sellVwap − buyVwap) / buyVwap. */
  grossEdge: z.number().finite(),
  /** Net of both taker fees, relative to the fee-inclusive cost. */
  netEdge: z.number().finite(),
  /** Quote currency, net of both fees. */
  netProfit: z.number().finite(),
  /** Highest netEdge since opened. */
  peakEdge: z.number().finite(),
  openedAt: z.number(),
  durationMs: z.number().nonnegative(),
  /** Set on `closed` only. */
  reason: ArbCloseReason.optional(),
  /** Detector clock when the event was decided. */
  ts: z.number(),
  /** The book update that caused this event: venue, gateway seq, its exchange and receive times. */
  triggerVenue: z.string().min(1),
  triggerSeq: z.number().int().nonnegative(),
  tsExchange: z.number(),
  tsReceived: z.number(),
  trace: Trace.optional(),
});
export type ArbOpportunityMessage = z.infer<typeof ArbOpportunityMessage>;
