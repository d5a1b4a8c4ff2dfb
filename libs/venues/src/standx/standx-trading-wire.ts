import { z } from 'zod';

/**
 * StandX private payloads as the docs give them (Perps HTTP API, Perps WebSocket API):
 * only the fields we read are checked, extra fields pass. Decimals arrive as strings,
 * ids as integers (a string id is accepted too: we only ever print it).
 */
const Dec = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string');
const Id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]);

/** Body of every POST reply (ack) and every error: `{code, message, request_id}`; code 0 is success. */
export const StandxReply = z.object({
  code: z.number().int(),
  message: z.string().max(2_000).optional(),
  request_id: z.string().optional(),
});
export type StandxReply = z.infer<typeof StandxReply>;

/** The docs' Reference enum, plus `new` (one docs example shows it) and `untriggered` (conditional orders). */
export const StandxOrderStatus = z.enum(['open', 'new', 'canceled', 'filled', 'rejected', 'untriggered']);
export type StandxOrderStatus = z.infer<typeof StandxOrderStatus>;

export const StandxOrder = z.object({
  id: Id,
  cl_ord_id: z.string().max(128).nullable().optional(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  order_type: z.string(),
  price: Dec.nullable().optional(),
  qty: Dec,
  fill_qty: Dec.nullable().optional(),
  status: StandxOrderStatus,
  time_in_force: z.string().optional(),
  remark: z.string().nullable().optional(),
  updated_at: z.string().optional(),
  created_at: z.string().optional(),
});
export type StandxOrder = z.infer<typeof StandxOrder>;

export const StandxTrade = z.object({
  id: Id,
  order_id: Id,
  /** Not in StandX's documented trade record; the simulator adds it. Used when present. */
  cl_ord_id: z.string().nullable().optional(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  price: Dec,
  qty: Dec,
  fee_qty: Dec,
  fee_asset: z.string().optional(),
  value: Dec.optional(),
  created_at: z.string(),
});
export type StandxTrade = z.infer<typeof StandxTrade>;

/** `query_orders`, `query_open_orders`, `query_trades`: `{page_size, result, total}`, newest first. */
export const standxPage = <T extends z.ZodType>(item: T) =>
  z.object({ page_size: z.number().int().optional(), result: z.array(item).max(5_000), total: z.number().int().optional() });
export const StandxOrderPage = standxPage(StandxOrder);
export const StandxTradePage = standxPage(StandxTrade);

export const StandxPosition = z.object({
  symbol: z.string(),
  /** Signed: negative is short. */
  qty: Dec,
  entry_price: Dec,
  status: z.string().optional(),
});
export const StandxPositionList = z.array(StandxPosition).max(1_000);

export const StandxBalance = z.object({
  balance: Dec,
  cross_available: Dec,
  equity: Dec,
  upnl: Dec,
  locked: Dec.optional(),
});
export type StandxBalance = z.infer<typeof StandxBalance>;

/** Every private-stream message: `seq` counts the messages of one connection. */
export const StandxStreamEnvelope = z.object({
  seq: z.number().int().nonnegative(),
  channel: z.string(),
  data: z.unknown(),
});

/** Reply to the `auth` message (and the data of `error` messages): 200 is success. */
export const StandxStreamStatus = z.object({ code: z.number().int(), msg: z.string().max(2_000).optional() });
