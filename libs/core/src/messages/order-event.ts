import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { DecimalText } from '../decimal-text.js';
import { Side } from './side.js';
import { Trace } from './trace.js';

export const OrderStatus = z.enum(['pending', 'new', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'unknown']);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** order.event.<venue>: what happened to one of our orders. */
export const OrderEvent = z.object({
  venue: z.string().min(1),
  account: z.string().min(1),
  symbol: CanonicalSymbol,
  clientOrderId: z.string().min(1),
  venueOrderId: z.string().optional(),
  side: Side,
  price: DecimalText.optional(),
  qty: DecimalText,
  filledQty: DecimalText,
  status: OrderStatus,
  reason: z.string().max(500).optional(),
  /** The strategy and quote slot the order holds, when the router placed it for a quote set: how a strategy knows what of its own rests. */
  strategy: z.string().regex(/^[A-Za-z0-9_-]{1,48}$/).optional(),
  slot: z.string().regex(/^[a-z0-9-]{1,24}$/).optional(),
  ts: z.number(),
  trace: Trace.optional(),
});
export type OrderEvent = z.infer<typeof OrderEvent>;
