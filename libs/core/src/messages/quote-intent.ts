import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { PositiveDecimalText } from '../decimal-text.js';
import { Side } from './side.js';
import { Trace } from './trace.js';

/** One resting order a strategy wants; slot names the place it holds (e.g. bid-0), so the router can amend it in place. */
export const WantedQuote = z.object({
  slot: z.string().regex(/^[a-z0-9-]{1,24}$/),
  side: Side,
  price: PositiveDecimalText,
  qty: PositiveDecimalText,
  postOnly: z.boolean().default(true),
});
export type WantedQuote = z.infer<typeof WantedQuote>;

/**
 * intent.quote.<strategy>: the complete set of quotes the strategy wants resting
 * now on one venue and symbol. An empty set means "nothing resting".
 */
export const QuoteIntent = z.object({
  intentId: z.string().min(1).max(64),
  strategy: z.string().regex(/^[A-Za-z0-9_-]{1,48}$/),
  venue: z.string().min(1),
  account: z.string().min(1),
  symbol: CanonicalSymbol,
  quotes: z.array(WantedQuote).max(64),
  /** The book the decision was made on. */
  bookSeq: z.number().int().nonnegative(),
  /** The mid the set was computed from; absent when there is no usable book (the set is then empty: quotes pulled). */
  mid: z.number().positive().optional(),
  ts: z.number(),
  trace: Trace.optional(),
});
export type QuoteIntent = z.infer<typeof QuoteIntent>;
