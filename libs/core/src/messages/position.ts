import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { DecimalText } from '../decimal-text.js';

/** position.<venue>.<account>.<symbol>: position and PnL after a fill or a mark change. */
export const PositionMessage = z.object({
  venue: z.string().min(1),
  account: z.string().min(1),
  symbol: CanonicalSymbol,
  /** Signed size in base units: positive long, negative short. */
  qty: DecimalText,
  avgEntry: DecimalText,
  realizedPnl: DecimalText,
  fees: DecimalText,
  funding: DecimalText,
  fills: z.number().int().nonnegative(),
  markPrice: z.number().positive().optional(),
  unrealizedPnl: z.number().optional(),
  ts: z.number(),
});
export type PositionMessage = z.infer<typeof PositionMessage>;
