import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { Trace } from './trace.js';

const Price = z.number().finite().positive();
const Size = z.number().finite().nonnegative();
/** [price, size]; size 0 in a delta deletes the level. */
export const BookLevel = z.tuple([Price, Size]);
export type BookLevel = z.infer<typeof BookLevel>;

/** md.book.<venue>.<symbol>: the top N levels after each change. */
export const BookMessage = z.object({
  venue: z.string().min(1),
  symbol: CanonicalSymbol,
  /** Gateway's per-symbol sequence, +1 per published book. */
  seq: z.number().int().nonnegative(),
  /** The venue's own sequence or update id, when it has one. */
  venueSeq: z.number().int().optional(),
  bids: z.array(BookLevel).max(1000),
  asks: z.array(BookLevel).max(1000),
  tsExchange: z.number(),
  tsReceived: z.number(),
  tsPublished: z.number(),
  /** No update within the venue's staleness window: do not act on it. */
  stale: z.boolean(),
  trace: Trace.optional(),
});
export type BookMessage = z.infer<typeof BookMessage>;

/** md.bbo.<venue>.<symbol> */
export const BboMessage = z.object({
  venue: z.string().min(1),
  symbol: CanonicalSymbol,
  seq: z.number().int().nonnegative(),
  bid: BookLevel.nullable(),
  ask: BookLevel.nullable(),
  tsExchange: z.number(),
  tsReceived: z.number(),
  tsPublished: z.number(),
  stale: z.boolean(),
});
export type BboMessage = z.infer<typeof BboMessage>;
