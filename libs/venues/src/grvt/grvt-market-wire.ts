import { z } from 'zod';

/**
 * GRVT `full` market-data payloads as the docs and the SDK show them (only the fields we read; extra fields pass).
 * GRVT sends prices, sizes, int64 counters and nanosecond times as strings; a few small integers (decimals,
 * funding interval) come as numbers or strings depending on the endpoint, so both are accepted there.
 */

/** Plain unsigned decimal text, bounded so a number can never be huge ("1e400", 400 digits) or negative. */
const UDec = z.string().regex(/^\d{1,20}(\.\d{1,18})?$/, 'expected an unsigned decimal string');
/** Signed decimal text (funding rates). */
const SDec = z.string().regex(/^-?\d{1,20}(\.\d{1,18})?$/, 'expected a decimal string');
/** Unix nanoseconds as a string. */
export const Nanos = z.string().regex(/^\d{1,20}$/, 'expected unix nanoseconds as a string');
/** int64 counters (sequence numbers) as strings, or numbers; always within the safe-integer range. */
const Counter = z
  .union([z.string().regex(/^\d{1,15}$/), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)])
  .transform(Number);
const SmallInt = z.union([z.number().int(), z.string().regex(/^\d{1,3}$/).transform(Number)]).pipe(z.number().int().min(0).max(36));

export const GrvtInstrumentWire = z.object({
  instrument: z.string(),
  base: z.string().min(1),
  quote: z.string().min(1),
  kind: z.string(),
  base_decimals: SmallInt,
  tick_size: UDec,
  min_size: UDec,
  min_notional: UDec.optional(),
});
export type GrvtInstrumentWire = z.infer<typeof GrvtInstrumentWire>;
export const GrvtAllInstruments = z.object({ result: z.array(GrvtInstrumentWire).max(10_000) });

/** Every feed message of `/ws/full`. Snapshots carry sequence number 0, everything else previous + 1. */
export const GrvtFeedEnvelope = z.object({
  stream: z.string(),
  selector: z.string(),
  sequence_number: Counter,
  prev_sequence_number: Counter.optional(),
  feed: z.unknown(),
});
export type GrvtFeedEnvelope = z.infer<typeof GrvtFeedEnvelope>;

/**
 * A JSON-RPC answer: `result` for success, `error` otherwise. `jsonrpc` is "2.0" in the docs but "" in a live
 * capture (GRVT's Python SDK, grvt_ccxt_ws.py): any short string is taken, the answer is known by its other fields.
 */
export const GrvtRpcReply = z.object({
  jsonrpc: z.string().max(16),
  id: z.number().int().optional(),
  method: z.string().optional(),
  result: z.unknown().optional(),
  error: z.object({ code: z.number(), message: z.string() }).optional(),
});
export type GrvtRpcReply = z.infer<typeof GrvtRpcReply>;

export const GrvtSubscribeResult = z.object({
  stream: z.string(),
  subs: z.array(z.string()),
  unsubs: z.array(z.string()),
  num_snapshots: z.array(z.number()).optional(),
  first_sequence_number: z.array(Counter).optional(),
  /** In the SDK's generated types: "the most recent message in the stream; next received must be larger". */
  latest_sequence_number: z.array(Counter).optional(),
});

const Level = z.object({ price: UDec, size: UDec, num_orders: z.number().int().nonnegative().optional() });
export const GrvtBookFeed = z.object({
  event_time: Nanos,
  instrument: z.string(),
  bids: z.array(Level).max(20_000),
  asks: z.array(Level).max(20_000),
});
export type GrvtBookFeed = z.infer<typeof GrvtBookFeed>;

export const GrvtTradeFeed = z.object({
  event_time: Nanos,
  instrument: z.string(),
  is_taker_buyer: z.boolean(),
  size: UDec,
  price: UDec,
  trade_id: z.string().min(1).max(100),
});

/** v1.ticker.s: funding rates are in percentage points (0.01 = 0.01 %). */
export const GrvtTickerFeed = z.object({
  event_time: Nanos,
  instrument: z.string(),
  mark_price: UDec,
  index_price: UDec.optional(),
  funding_rate: SDec.optional(),
  funding_rate_8h_curr: SDec.optional(),
  next_funding_time: Nanos.optional(),
});

/** Unix nanoseconds (text) -> whole unix milliseconds. */
export const nanosToMs = (ns: string): number => Number(BigInt(ns) / 1_000_000n);
