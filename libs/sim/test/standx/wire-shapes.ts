/**
 * What the StandX tests read back from the façade, as zod schemas: every reply and
 * stream message a test inspects is parsed, so a shape drift fails loudly instead of
 * reading `undefined`.
 */
import { z } from 'zod';

/** StandX's body for acks and errors alike: `{code, message, request_id}`. */
export const ErrorBody = z.object({
  code: z.number().int(),
  message: z.string().min(1),
  request_id: z.string().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const AckBody = z.object({ code: z.literal(0), message: z.literal('success'), request_id: z.string().min(1) });

const Level = z.tuple([z.string(), z.string()]);
export const DepthBook = z.object({ asks: z.array(Level), bids: z.array(Level), symbol: z.string() });
export type DepthBook = z.infer<typeof DepthBook>;

export const WireOrder = z.object({
  id: z.number().int().positive(),
  cl_ord_id: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  order_type: z.enum(['limit', 'market']),
  status: z.enum(['open', 'canceled', 'filled', 'rejected', 'untriggered']),
  qty: z.string(),
  price: z.string(),
  fill_qty: z.string(),
  fill_avg_price: z.string(),
  time_in_force: z.enum(['gtc', 'ioc', 'alo']),
  remark: z.string(),
  user: z.string(),
});
export type WireOrder = z.infer<typeof WireOrder>;

export const WireTrade = z.object({
  id: z.number().int().positive(),
  order_id: z.number().int().positive(),
  cl_ord_id: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  price: z.string(),
  qty: z.string(),
  fee_qty: z.string(),
  user: z.string(),
});

export const OrderPage = z.object({ page_size: z.number().int(), result: z.array(WireOrder), total: z.number().int() });

export const SymbolInfo = z.object({
  symbol: z.string(),
  base_asset: z.string(),
  quote_asset: z.string(),
  price_tick_decimals: z.number().int(),
  qty_tick_decimals: z.number().int(),
  min_order_qty: z.string(),
  maker_fee: z.string(),
  taker_fee: z.string(),
  max_leverage: z.string(),
  def_leverage: z.string(),
});

export const SymbolPrice = z.object({
  symbol: z.string(),
  mark_price: z.string(),
  index_price: z.string(),
  spread_bid: z.string().nullable(),
  spread_ask: z.string().nullable(),
  time: z.string(),
});

export const PriceStream = z.object({
  symbol: z.string(),
  mark_price: z.string(),
  index_price: z.string(),
  spread: z.tuple([z.string().nullable(), z.string().nullable()]),
  time: z.string(),
});

export const PublicTrade = z.object({
  id: z.number().int().positive(),
  side: z.enum(['buy', 'sell']),
  is_buyer_taker: z.boolean(),
  price: z.string(),
  qty: z.string(),
  symbol: z.string(),
  time: z.string(),
});

export const RecentTrade = PublicTrade.omit({ id: true, side: true });

/** Market-stream envelope: `{seq, channel, symbol?, data}`. */
export const StreamEnvelope = z.object({
  seq: z.number().int().positive(),
  channel: z.string(),
  symbol: z.string().optional(),
  data: z.unknown(),
});
export type StreamEnvelope = z.infer<typeof StreamEnvelope>;

/** `auth` and `error` replies on the market stream. */
export const StreamStatus = z.object({ code: z.number().int(), msg: z.string() });

/** StandX's keepalive notice before it drops a silent client (no envelope). */
export const PongTimeoutNotice = z.object({ code: z.literal(408), message: z.string() });

/** Decimal text without padding, so "100.10" and "100.1" compare equal. */
export function canonicalDecimal(s: string): string {
  if (!s.includes('.')) return s;
  const trimmed = s.replace(/0+$/, '');
  return trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
}

/** Levels best first (bids descending, asks ascending), decimals canonical: what an adapter rebuilds. */
export function normalizedBook(book: { bids: ReadonlyArray<readonly [string, string]>; asks: ReadonlyArray<readonly [string, string]> }) {
  const canon = (levels: ReadonlyArray<readonly [string, string]>) => levels.map(([p, q]): [string, string] => [canonicalDecimal(p), canonicalDecimal(q)]);
  return {
    bids: canon(book.bids).sort((a, b) => Number(b[0]) - Number(a[0])),
    asks: canon(book.asks).sort((a, b) => Number(a[0]) - Number(b[0])),
  };
}
