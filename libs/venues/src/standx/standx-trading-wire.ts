import { z } from 'zod';

/**
 * StandX private payloads as the docs give them (Perps HTTP API, Perps WebSocket API):
 * only the fields we read are checked, extra fields pass. Decimals arrive as strings,
 * ids as integers (a string id is accepted too: we only ever print it).
 */
const Dec = z.string().regex(/^-?\d{1,20}(\.\d{1,18})?$/, 'expected a decimal string');
/** Bounded like Dec, so a number can never be huge (400 digits) or negative where only a size or a price belongs. */
const UDec = z.string().regex(/^\d{1,20}(\.\d{1,18})?$/, 'expected an unsigned decimal string');
/** A traded price or size: more than zero. */
const PosDec = UDec.refine((s) => /[1-9]/.test(s), 'expected a positive decimal string');
/** An id: an unsigned 64-bit integer (20 digits at most), as a number or as text. */
const Id = z.union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,20}$/)]);
/** A StandX perp, BASE-USD: anything else cannot become one of our symbols (BASE-PERP, at most 15 characters of base). */
const Symbol = z.string().regex(/^[A-Z0-9]{1,15}-USD$/, 'expected a StandX symbol like BTC-USD');

/** Body of every POST reply (ack) and every error: `{code, message, request_id}`; code 0 is success. */
export const StandxReply = z.object({
  code: z.number().int(),
  message: z.string().max(2_000).optional(),
  request_id: z.string().optional(),
});
export type StandxReply = z.infer<typeof StandxReply>;

/**
 * A POST's success reply: `{code, ...}`, or a bare array. The Perps HTTP API page shows `[]` as cancel_orders' reply
 * in most copies and `{code: 0}` in one (docs.standx.com/standx-api/perps-http, "Cancel Multiple Orders"): both are
 * success; an array carries no code to check.
 */
export const StandxPostReply = z.union([StandxReply, z.array(z.unknown()).max(5_000)]);
export type StandxPostReply = z.infer<typeof StandxPostReply>;

/**
 * The docs' Reference enum (open, canceled, filled, rejected, untriggered), plus `new` (one docs example shows it),
 * `partially_filled` and `expired` (common names the Reference does not rule out).
 */
export const StandxOrderStatus = z.enum(['open', 'new', 'partially_filled', 'canceled', 'expired', 'filled', 'rejected', 'untriggered']);
export type StandxOrderStatus = z.infer<typeof StandxOrderStatus>;

export const StandxOrder = z.object({
  id: Id,
  cl_ord_id: z.string().max(128).nullable().optional(),
  symbol: Symbol,
  side: z.enum(['buy', 'sell']),
  order_type: z.string(),
  price: UDec.nullable().optional(),
  qty: UDec,
  fill_qty: UDec.nullable().optional(),
  status: StandxOrderStatus,
  time_in_force: z.string().optional(),
  remark: z.string().nullable().optional(),
  updated_at: z.string().optional(),
  created_at: z.string().optional(),
});
export type StandxOrder = z.infer<typeof StandxOrder>;

/**
 * A trade of ours: query_trades' record as documented (`created_at, fee_asset, fee_qty, id, order_id, pnl, price, qty,
 * side, symbol, updated_at, user, value`; docs.standx.com/standx-api/perps-http, "Query User Trades"). The `trade`
 * channel's payload is not documented, so only what a fill cannot be without is required (order_id, symbol, price,
 * qty); the rest is optional with a fallback in the adapter: no `id` → de-duplicated by order, time, price and size;
 * no `side` → the order's side; no `fee_qty` → the fee rate times the notional; no `created_at` → the receive time.
 */
export const StandxTrade = z.object({
  order_id: Id,
  symbol: Symbol,
  price: PosDec,
  qty: PosDec,
  id: Id.nullable().optional(),
  /** Not in StandX's documented trade record; the simulator adds it. Used when present. */
  cl_ord_id: z.string().nullable().optional(),
  side: z.enum(['buy', 'sell']).nullable().optional(),
  fee_qty: Dec.nullable().optional(),
  fee_asset: z.string().nullable().optional(),
  value: Dec.nullable().optional(),
  created_at: z.string().nullable().optional(),
});
export type StandxTrade = z.infer<typeof StandxTrade>;

/** `query_orders`, `query_open_orders`, `query_trades`: `{page_size, result, total}`, newest first. */
export const standxPage = <T extends z.ZodType>(item: T) =>
  z.object({ page_size: z.number().int().optional(), result: z.array(item).max(5_000), total: z.number().int().optional() });
export const StandxOrderPage = standxPage(StandxOrder);
/** query_trades documents `id` and `created_at`: its records must carry them (paging and catch-up stand on them). */
export const StandxQueriedTrade = StandxTrade.extend({ id: Id, created_at: z.string() });
export type StandxQueriedTrade = z.infer<typeof StandxQueriedTrade>;
export const StandxTradePage = standxPage(StandxQueriedTrade);

export const StandxPosition = z.object({
  symbol: Symbol,
  /** Signed: negative is short. */
  qty: Dec,
  entry_price: UDec,
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

/** Every private-stream message. What `seq` counts is undocumented (standx-sequence-watch.ts). */
export const StandxStreamEnvelope = z.object({
  seq: z.number().int().nonnegative(),
  channel: z.string(),
  data: z.unknown(),
});

/** Reply to the `auth` message (and the data of `error` messages): 200 is success. */
export const StandxStreamStatus = z.object({ code: z.number().int(), msg: z.string().max(2_000).optional() });

/**
 * An answer on the order-response stream (/ws-api/v1): `{code, message, request_id}`, code 0 success, e.g.
 * `{code: 400, message: "alo order rejected"}` (docs.standx.com/standx-api/perps-ws, "Order Response Stream").
 */
export const StandxOrderResponse = z.object({
  code: z.number().int(),
  message: z.string().max(2_000).optional(),
  request_id: z.string().max(128).optional(),
});
export type StandxOrderResponse = z.infer<typeof StandxOrderResponse>;
