import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';

/** md.mark.<venue>.<symbol>: mark and index price, funding. */
export const MarkMessage = z.object({
  venue: z.string().min(1),
  symbol: CanonicalSymbol,
  markPrice: z.number().finite().positive(),
  indexPrice: z.number().finite().positive().optional(),
  fundingRate: z.number().finite().optional(),
  nextFundingTime: z.number().optional(),
  tsExchange: z.number(),
  tsReceived: z.number(),
  tsPublished: z.number(),
});
export type MarkMessage = z.infer<typeof MarkMessage>;
