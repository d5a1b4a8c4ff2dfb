import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';

/** Most skipped sets one message names: a router that replaced more before working one names the newest. */
export const MAX_SKIPPED_QUOTE_SETS = 64;

/**
 * router.quotes.taken.<venue>: a router started working a quote set (`intentId`) of one quote book, and
 * names the sets of that book it replaced by a newer one before working them (`skipped`). Those never get
 * an order event, so risk stops counting their approvals as in flight at once instead of at their timeout.
 */
export const QuoteSetTakenMessage = z.object({
  venue: z.string().min(1),
  account: z.string().min(1),
  strategy: z.string().min(1),
  symbol: CanonicalSymbol,
  intentId: z.string().min(1).max(64),
  skipped: z.array(z.string().min(1).max(64)).max(MAX_SKIPPED_QUOTE_SETS),
  ts: z.number(),
});
export type QuoteSetTakenMessage = z.infer<typeof QuoteSetTakenMessage>;
