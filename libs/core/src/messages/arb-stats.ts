import { z } from 'zod';

const Count = z.number().int().nonnegative();

/** Per venue as seen by the arb detector. */
export const ArbVenueStats = z.object({
  /** Symbols with a book from this venue. */
  symbols: Count,
  /** Of those, books that are stale, crossed or one-sided now. */
  unusableSymbols: Count,
  /** Book updates received since start. */
  updates: Count,
});
export type ArbVenueStats = z.infer<typeof ArbVenueStats>;

/** arb.stats: the arb detector's counters since start, published periodically. */
export const ArbStatsMessage = z.object({
  ts: z.number(),
  startedAt: z.number(),
  /** Book updates received since start. */
  updates: Count,
  /** Lifecycle events since start. */
  opened: Count,
  updated: Count,
  closed: Count,
  /** Opportunities open now. */
  open: Count,
  /** Books (venue × symbol) that cannot be used now, and how they were closed out since start. */
  unusableBooks: Count,
  staleCloses: Count,
  /** Failures by kind (handler errors, refused books, publish errors). */
  failures: z.record(z.string(), Count),
  venues: z.record(z.string(), ArbVenueStats),
  /** Evaluation time per update since the previous stats message (µs); absent when there was none. */
  evaluateMicros: z.object({ count: Count, mean: z.number().nonnegative(), max: z.number().nonnegative() }).optional(),
});
export type ArbStatsMessage = z.infer<typeof ArbStatsMessage>;
