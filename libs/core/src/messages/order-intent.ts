import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { PositiveDecimalText } from '../decimal-text.js';
import { Side } from './side.js';
import { Trace } from './trace.js';

/** Client order ids a strategy may choose: short and of a charset every venue accepts (Binance allows 36). */
export const StrategyClientOrderId = z.string().regex(/^[a-z0-9-]{1,32}$/, 'expected 1-32 lowercase letters, digits or -');

/**
 * intent.order.<strategy>: one order outside any quote set — an arbitrage leg,
 * a hedge, an unwind. A request to risk: the reply says whether it became an
 * order command (order.cmd.<venue>) or which rule refused it. Price and size are
 * already snapped to the venue's tick and lot.
 */
export const OrderIntent = z.strictObject({
  intentId: z.string().min(1).max(64),
  strategy: z.string().regex(/^[A-Za-z0-9_-]{1,48}$/),
  venue: z.string().min(1),
  account: z.string().min(1),
  symbol: CanonicalSymbol,
  clientOrderId: StrategyClientOrderId,
  side: Side,
  /** Limit price: the worst the order may trade at. */
  price: PositiveDecimalText,
  qty: PositiveDecimalText,
  tif: z.enum(['ioc', 'fok']),
  reduceOnly: z.boolean().default(false),
  ts: z.number(),
  trace: Trace.optional(),
});
export type OrderIntent = z.infer<typeof OrderIntent>;

/** Risk's answer to an OrderIntent. */
export const OrderIntentReply = z.discriminatedUnion('approved', [
  z.strictObject({ approved: z.literal(true), commandId: z.string().min(1) }),
  z.strictObject({ approved: z.literal(false), rule: z.string().min(1), detail: z.string().max(500) }),
]);
export type OrderIntentReply = z.infer<typeof OrderIntentReply>;
