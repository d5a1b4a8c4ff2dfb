import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { DecimalText, PositiveDecimalText } from '../decimal-text.js';
import { Side } from './side.js';

/**
 * fill.<venue>.<symbol>: one execution of one of our orders. fillId is the venue's, unique per venue; or, for a trade
 * the venue told without an id (`idFromContent`), made from its content (order, time, price, size), so the same trade
 * told again under the venue's id is recognised by content (libs/state fill-content-dedupe.ts).
 */
export const Fill = z.object({
  fillId: z.string().min(1).max(128),
  /** True when the venue gave no id and fillId was made from venueOrderId, tsExchange, price and qty. */
  idFromContent: z.boolean().optional(),
  venue: z.string().min(1),
  account: z.string().min(1),
  symbol: CanonicalSymbol,
  clientOrderId: z.string().min(1),
  venueOrderId: z.string().optional(),
  side: Side,
  price: PositiveDecimalText,
  qty: PositiveDecimalText,
  /** Fee paid in the quote currency; negative is a rebate. */
  fee: DecimalText,
  liquidity: z.enum(['maker', 'taker']),
  tsExchange: z.number(),
  tsReceived: z.number(),
});
export type Fill = z.infer<typeof Fill>;
