import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { Side } from './side.js';

/** md.trade.<venue>.<symbol>: a public trade; side is the aggressor's. */
export const TradeMessage = z.object({
  venue: z.string().min(1),
  symbol: CanonicalSymbol,
  tradeId: z.string().min(1),
  price: z.number().finite().positive(),
  size: z.number().finite().positive(),
  side: Side,
  tsExchange: z.number(),
  tsReceived: z.number(),
  tsPublished: z.number(),
});
export type TradeMessage = z.infer<typeof TradeMessage>;
