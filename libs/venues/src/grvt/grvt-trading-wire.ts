import { z } from 'zod';
import { Nanos } from './grvt-market-wire.js';

/**
 * GRVT `full` private payloads (trades and edge hosts) as GRVT's docs and SDK show them; only the fields we read
 * (extra fields pass). Prices, sizes, fees and ids are strings on GRVT's wire.
 */

/** Plain unsigned decimal text, bounded so it can never be huge or negative. */
const UDec = z.string().regex(/^\d{1,20}(\.\d{1,18})?$/, 'expected an unsigned decimal string');
/** Signed decimal text (position sizes, fees, PnL). */
const SDec = z.string().regex(/^-?\d{1,20}(\.\d{1,18})?$/, 'expected a decimal string');
/** uint64 as decimal text (sub-account ids, client order ids). */
const Uint64Text = z.string().regex(/^\d{1,20}$/, 'expected an unsigned integer string');

/** GRVT's error body: HTTP status + `{code, message, status}`. */
export const GrvtErrorBody = z.object({ code: z.number().int(), message: z.string().max(2000), status: z.number().int().optional() });
export type GrvtErrorBody = z.infer<typeof GrvtErrorBody>;

/** `POST /auth/api_key/login` body (the account id comes in the `X-Grvt-Account-Id` header). */
export const GrvtLoginBody = z.object({ status: z.string(), sub_account_id: z.string().optional() });

export const GrvtOrderStatusWire = z.enum(['PENDING', 'OPEN', 'FILLED', 'REJECTED', 'CANCELLED']);
export type GrvtOrderStatusWire = z.infer<typeof GrvtOrderStatusWire>;

export const GrvtOrderWire = z.object({
  order_id: z.string().min(1).max(80),
  sub_account_id: Uint64Text,
  is_market: z.boolean().nullable().optional(),
  time_in_force: z.string(),
  post_only: z.boolean().nullable().optional(),
  reduce_only: z.boolean().nullable().optional(),
  legs: z
    .array(
      z.object({
        instrument: z.string(),
        size: UDec,
        limit_price: z.union([UDec, z.literal('')]).nullable().optional(),
        is_buying_asset: z.boolean(),
      }),
    )
    .min(1)
    .max(4),
  metadata: z.object({ client_order_id: Uint64Text, create_time: Nanos.optional() }),
  state: z.object({
    status: GrvtOrderStatusWire,
    reject_reason: z.string().max(100),
    book_size: z.array(UDec).optional(),
    traded_size: z.array(UDec).min(1),
    update_time: Nanos,
    avg_fill_price: z.array(UDec).optional(),
  }),
});
export type GrvtOrderWire = z.infer<typeof GrvtOrderWire>;

export const GrvtFillWire = z.object({
  event_time: Nanos,
  sub_account_id: Uint64Text,
  instrument: z.string(),
  is_buyer: z.boolean(),
  is_taker: z.boolean(),
  size: UDec,
  price: UDec,
  fee: SDec,
  trade_id: z.string().min(1).max(100),
  order_id: z.string().min(1).max(80),
  client_order_id: Uint64Text,
});
export type GrvtFillWire = z.infer<typeof GrvtFillWire>;

/**
 * One entry of `full/v1/funding_payment_history` (FundingPayment): amount positive paid, negative received;
 * `tx_id` names what triggered it (a trade's id, a transfer's), so it alone is not taken as unique.
 */
export const GrvtFundingPaymentWire = z.object({
  event_time: Nanos,
  sub_account_id: Uint64Text,
  instrument: z.string().min(1).max(80),
  currency: z.union([z.string().max(20), z.number().int()]).optional(),
  amount: SDec,
  tx_id: z.string().max(100).optional(),
});
export type GrvtFundingPaymentWire = z.infer<typeof GrvtFundingPaymentWire>;

export const GrvtPositionWire = z.object({
  instrument: z.string(),
  size: SDec,
  entry_price: UDec,
});

export const GrvtAccountSummaryWire = z.object({
  settle_currency: z.string().min(1),
  total_equity: SDec,
  available_balance: SDec,
  unrealized_pnl: SDec.optional(),
  spot_balances: z.array(z.object({ currency: z.string(), balance: SDec })).max(1_000).optional(),
});

/** Signing facts of an instrument: the asset id signed in each leg and the size scale. */
export const GrvtSigningInstrumentWire = z.object({
  instrument: z.string(),
  instrument_hash: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/),
  base_decimals: z.union([z.number().int(), z.string().regex(/^\d{1,2}$/).transform(Number)]).pipe(z.number().int().min(0).max(36)),
});

export const GrvtAllSigningInstruments = z.object({ result: z.array(GrvtSigningInstrumentWire).max(10_000) });
export const GrvtOrderResult = z.object({ result: GrvtOrderWire });
export const GrvtOrdersResult = z.object({ result: z.array(GrvtOrderWire).max(10_000) });
/** `ack` is a boolean in GRVT's schema, but its example shows the string 'true' (apispec.json): both are taken. */
export const GrvtAckResult = z.object({ result: z.object({ ack: z.union([z.boolean(), z.enum(['true', 'false'])]).transform((a) => a === true || a === 'true') }) });
export const GrvtPositionsResult = z.object({ result: z.array(GrvtPositionWire).max(10_000) });
export const GrvtAccountSummaryResult = z.object({ result: GrvtAccountSummaryWire });
export const GrvtFundingPaymentHistoryResult = z.object({ result: z.array(z.unknown()).max(1_000), next: z.string().max(500).optional() });
export const GrvtFillHistoryResult = z.object({ result: z.array(GrvtFillWire).max(1_000), next: z.string().max(500).optional() });
