import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { PositiveDecimalText } from '../decimal-text.js';
import { Side } from './side.js';
import { Trace } from './trace.js';
import { WantedQuote } from './quote-intent.js';

export const TimeInForce = z.enum(['gtc', 'ioc', 'fok', 'post_only']);
export type TimeInForce = z.infer<typeof TimeInForce>;

const Common = {
  /** Unique per command; the router ignores a command it has already seen. */
  commandId: z.string().min(1).max(64),
  venue: z.string().min(1),
  account: z.string().min(1),
  ts: z.number(),
  trace: Trace.optional(),
};

/** Risk-approved quote set: the router makes the venue's resting orders match it. */
export const SetQuotesCommand = z.object({
  ...Common,
  type: z.literal('set_quotes'),
  strategy: z.string().min(1),
  symbol: CanonicalSymbol,
  intentId: z.string().min(1),
  quotes: z.array(WantedQuote).max(64),
});

/** One order outside any quote set (e.g. an arbitrage leg, IOC). */
export const PlaceOrderCommand = z.object({
  ...Common,
  type: z.literal('place'),
  clientOrderId: z.string().min(1).max(36),
  symbol: CanonicalSymbol,
  side: Side,
  orderType: z.enum(['limit', 'market']),
  price: PositiveDecimalText.optional(),
  qty: PositiveDecimalText,
  tif: TimeInForce,
  reduceOnly: z.boolean().default(false),
});

export const CancelOrderCommand = z.object({
  ...Common,
  type: z.literal('cancel'),
  symbol: CanonicalSymbol,
  clientOrderId: z.string().min(1).max(36),
});

export const CancelAllCommand = z.object({
  ...Common,
  type: z.literal('cancel_all'),
  symbol: CanonicalSymbol.optional(),
  reason: z.string().max(200),
});

/** order.cmd.<venue> */
export const OrderCommand = z.discriminatedUnion('type', [SetQuotesCommand, PlaceOrderCommand, CancelOrderCommand, CancelAllCommand]);
export type OrderCommand = z.infer<typeof OrderCommand>;
export type SetQuotesCommand = z.infer<typeof SetQuotesCommand>;
export type PlaceOrderCommand = z.infer<typeof PlaceOrderCommand>;
export type CancelOrderCommand = z.infer<typeof CancelOrderCommand>;
export type CancelAllCommand = z.infer<typeof CancelAllCommand>;
