import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { BookLevel } from './book.js';

/**
 * md.depth.<venue>.<symbol> (opt-in, `gateway.publishDepth`): a change to the
 * venue's book exactly as the venue sent it — a snapshot or a delta, at the
 * depth the venue gives, with its sequence numbers — before the gateway's own
 * book applies or refuses it. Recordings keep it so a backtest can rebuild the
 * full book and the queue at any price, not only the published top N.
 */
export const DepthMessage = z.object({
  venue: z.string().min(1),
  symbol: CanonicalSymbol,
  type: z.enum(['snapshot', 'delta']),
  /** In a delta, size 0 deletes the level. */
  bids: z.array(BookLevel).max(10_000),
  asks: z.array(BookLevel).max(10_000),
  venueSeq: z.number().int().optional(),
  /** The sequence the delta follows, where the venue says (Binance `pu`): a gap shows as a mismatch. */
  prevVenueSeq: z.number().int().optional(),
  /** The venue's time of the change. */
  tsExchange: z.number(),
  /** Our receive time. */
  tsReceived: z.number(),
});
export type DepthMessage = z.infer<typeof DepthMessage>;
