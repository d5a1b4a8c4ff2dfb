/**
 * Everything a client can send the StandX façade, as zod schemas. Field names and
 * types follow StandX's "Perps HTTP API" and "Perps WebSocket API" docs: decimals are
 * JSON strings, ints are JSON integers, enums are lower case.
 */
import { z } from 'zod';
import { dec, isDecimalText } from '@perpetua/core';

/** Plain decimal text only: no sign, exponent or whitespace (assumed strictness; keeps adapters honest). */
const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;
const positiveDecimal = z
  .string()
  .max(40)
  .refine((s) => PLAIN_DECIMAL.test(s) && isDecimalText(s) && dec(s) > 0n, { message: 'expected a positive decimal as a string' });

const standxSymbol = z.string().min(1).max(32);
const clOrdId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7e]+$/, 'cl_ord_id must be printable ASCII without spaces');
const orderId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const NewOrderBody = z
  .object({
    symbol: standxSymbol,
    side: z.enum(['buy', 'sell']),
    order_type: z.enum(['limit', 'market']),
    qty: positiveDecimal,
    time_in_force: z.enum(['gtc', 'ioc', 'alo']),
    reduce_only: z.boolean(),
    price: positiveDecimal.optional(),
    cl_ord_id: clOrdId.optional(),
    margin_mode: z.enum(['cross', 'isolated']).optional(),
    leverage: z.number().int().positive().max(1000).optional(),
    tp_price: positiveDecimal.optional(),
    sl_price: positiveDecimal.optional(),
  })
  .refine((o) => o.order_type !== 'limit' || o.price !== undefined, {
    message: 'price is required for limit orders',
    path: ['price'],
  });
export type NewOrderBody = z.infer<typeof NewOrderBody>;

export const CancelOrderBody = z
  .object({ order_id: orderId.optional(), cl_ord_id: clOrdId.optional() })
  .refine((o) => o.order_id !== undefined || o.cl_ord_id !== undefined, {
    message: 'at least one of order_id or cl_ord_id is required',
  });
export type CancelOrderBody = z.infer<typeof CancelOrderBody>;

export const CancelOrdersBody = z
  .object({
    order_id_list: z.array(orderId).max(500).optional(),
    cl_ord_id_list: z.array(clOrdId).max(500).optional(),
  })
  .refine((o) => o.order_id_list !== undefined || o.cl_ord_id_list !== undefined, {
    message: 'at least one of order_id_list or cl_ord_id_list is required',
  });
export type CancelOrdersBody = z.infer<typeof CancelOrdersBody>;

export const ChangeLeverageBody = z.object({ symbol: standxSymbol, leverage: z.number().int().positive().max(1000) });
export const ChangeMarginModeBody = z.object({ symbol: standxSymbol, margin_mode: z.enum(['cross', 'isolated']) });

// ---- query strings (all values arrive as text) ----

const intText = z.string().regex(/^\d{1,15}$/, 'expected a non-negative integer').transform(Number);
const isoTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'expected an ISO 8601 time' })
  .transform((s) => Date.parse(s));

export const SymbolQuery = z.object({ symbol: standxSymbol });
export const OptionalSymbolQuery = z.object({ symbol: standxSymbol.optional() });
export const DepthQuery = z.object({ symbol: standxSymbol, limit: intText.optional() });
export const RecentTradesQuery = z.object({ symbol: standxSymbol, limit: intText.optional() });

export const QueryOrderQuery = z
  .object({ order_id: intText.optional(), cl_ord_id: clOrdId.optional() })
  .refine((o) => o.order_id !== undefined || o.cl_ord_id !== undefined, {
    message: 'at least one of order_id or cl_ord_id is required',
  });

export const QueryOrdersQuery = z.object({
  symbol: standxSymbol.optional(),
  status: z.enum(['open', 'canceled', 'filled', 'rejected', 'untriggered']).optional(),
  order_type: z.enum(['limit', 'market']).optional(),
  /** Not in StandX's list for query_orders (it is on query_order); accepted here as a filter. */
  cl_ord_id: clOrdId.optional(),
  start: isoTime.optional(),
  end: isoTime.optional(),
  last_id: intText.optional(),
  limit: intText.optional(),
});

export const OpenOrdersQuery = z.object({ symbol: standxSymbol.optional(), limit: intText.optional() });

export const TradesQuery = z.object({
  symbol: standxSymbol.optional(),
  last_id: intText.optional(),
  side: z.enum(['buy', 'sell']).optional(),
  start: isoTime.optional(),
  end: isoTime.optional(),
  limit: intText.optional(),
});

// ---- market-stream WebSocket ----

const PublicChannel = z.enum(['price', 'depth_book', 'public_trade']);
const PrivateChannel = z.enum(['order', 'position', 'balance', 'trade']);
export type PublicChannel = z.infer<typeof PublicChannel>;
export type PrivateChannel = z.infer<typeof PrivateChannel>;

const StreamRef = z.union([
  z.object({ channel: PublicChannel, symbol: standxSymbol }),
  z.object({ channel: PrivateChannel }),
]);
export type StreamRef = z.infer<typeof StreamRef>;

export const WsClientMessage = z.union([
  z.object({ subscribe: StreamRef }),
  z.object({ unsubscribe: StreamRef }),
  z.object({
    auth: z.object({
      token: z.string().min(1).max(4096),
      streams: z.array(z.object({ channel: PrivateChannel })).max(8).optional(),
      impersonate: z.string().optional(),
    }),
  }),
]);
export type WsClientMessage = z.infer<typeof WsClientMessage>;

export const isPrivateChannel = (c: string): c is PrivateChannel => PrivateChannel.safeParse(c).success;

/** One line naming the first problem, for error messages. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid request';
  const path = issue.path.length ? issue.path.join('.') : 'request';
  return `${path}: ${issue.message}`;
}
