import { z } from 'zod';

/** StandX market-data payloads as the docs give them (only the fields we read; extra fields pass). */
const Dec = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string');

export const StandxSymbolInfo = z.object({
  symbol: z.string().regex(/^[A-Z0-9]+-USD$/),
  base_asset: z.string(),
  quote_asset: z.string(),
  price_tick_decimals: z.number().int().min(0).max(18),
  qty_tick_decimals: z.number().int().min(0).max(18),
  min_order_qty: Dec,
  maker_fee: Dec.optional(),
  taker_fee: Dec.optional(),
});
export const StandxSymbolInfoList = z.array(StandxSymbolInfo);

/** Every message of /ws-stream/v1. What `seq` counts is undocumented (standx-sequence-watch.ts). */
export const StandxEnvelope = z.object({
  seq: z.number().int().nonnegative(),
  channel: z.string(),
  symbol: z.string().optional(),
  data: z.unknown(),
});

const Level = z.tuple([Dec, Dec]);
export const StandxDepthBook = z.object({ symbol: z.string(), bids: z.array(Level).max(5_000), asks: z.array(Level).max(5_000) });

export const StandxPrice = z.object({
  symbol: z.string(),
  mark_price: Dec,
  index_price: Dec.nullable().optional(),
  time: z.string().optional(),
});

/**
 * A `public_trade` message. StandX documents no payload for it (the channel is not in the docs' list); the fields of
 * query_recent_trades (`is_buyer_taker, price, qty, quote_qty, symbol, time`) are the best guide. Required: what a
 * trade cannot be without (symbol, price, qty). Optional, with the fallback the adapter states: `id` (a trade id made
 * of time, price and size), `is_buyer_taker` / `side` (the aggressor by the price against the book's mid), `time`
 * (the receive time).
 */
export const StandxPublicTrade = z.object({
  symbol: z.string(),
  price: Dec,
  qty: Dec,
  id: z.union([z.number(), z.string()]).nullable().optional(),
  is_buyer_taker: z.boolean().nullable().optional(),
  side: z.enum(['buy', 'sell']).nullable().optional(),
  time: z.string().nullable().optional(),
});
export type StandxPublicTrade = z.infer<typeof StandxPublicTrade>;
