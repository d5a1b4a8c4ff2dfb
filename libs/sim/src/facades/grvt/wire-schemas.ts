/**
 * Zod schemas of the GRVT `full` REST/JSON-RPC requests the façade serves (field names as in GRVT's API docs).
 * Unknown extra fields are ignored, as a lenient server would; wrong types and missing required fields are 1003.
 */
import { z } from 'zod';

const UintText = z.string().regex(/^\d{1,20}$/, 'expected an unsigned integer string');
const NanosText = z.string().regex(/^\d{1,19}$/, 'expected unix nanoseconds as a string');
/** Decimal strings on GRVT's wire; the sign is allowed here so a negative size gets a precise error later. */
export const WireDecimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string');
const Hex = z.string().regex(/^(0x)?[0-9a-fA-F]*$/, 'expected a hex string');

export const LoginRequest = z.object({ api_key: z.string().min(1) });

export const InstrumentRequest = z.object({ instrument: z.string() });
export const AllInstrumentsRequest = z.object({ is_active: z.boolean().optional() });
export const BookRequest = z.object({ instrument: z.string(), depth: z.number().int().optional() });
export const TradeRequest = z.object({ instrument: z.string(), limit: z.number().int().min(1).max(1000).optional() });
export const FundingRequest = z.object({
  instrument: z.string(),
  start_time: NanosText.optional(),
  end_time: NanosText.optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().optional(),
});

export const SignatureWire = z.object({
  signer: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte hex address'),
  r: Hex,
  s: Hex,
  v: z.number().int(),
  expiration: NanosText,
  nonce: z.number().int().min(0).max(2 ** 32 - 1),
  chain_id: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().min(0)]).optional(),
});
export type SignatureWire = z.infer<typeof SignatureWire>;

export const OrderLegWire = z.object({
  instrument: z.string(),
  size: WireDecimal,
  limit_price: z.union([WireDecimal, z.literal('')]).nullable().optional(),
  is_buying_asset: z.boolean(),
});
export type OrderLegWire = z.infer<typeof OrderLegWire>;

export const OrderWire = z.object({
  order_id: z.string().nullable().optional(),
  sub_account_id: UintText,
  is_market: z.boolean().nullable().optional(),
  time_in_force: z.string(),
  post_only: z.boolean().nullable().optional(),
  reduce_only: z.boolean().nullable().optional(),
  legs: z.array(OrderLegWire),
  signature: SignatureWire,
  metadata: z
    .object({
      client_order_id: UintText.optional(),
      create_time: NanosText.optional(),
    })
    .optional(),
  state: z.unknown().optional(),
});
export type OrderWire = z.infer<typeof OrderWire>;

export const CreateOrderRequest = z.object({ order: OrderWire });

const Filters = {
  kind: z.array(z.string()).optional(),
  base: z.array(z.string()).optional(),
  quote: z.array(z.string()).optional(),
};

export const SubAccountRequest = z.object({ sub_account_id: UintText });
export const FilteredSubAccountRequest = z.object({ sub_account_id: UintText, ...Filters });
export const OrderRefRequest = z.object({
  sub_account_id: UintText,
  order_id: z.string().nullable().optional(),
  client_order_id: z.string().nullable().optional(),
  time_to_live_ms: z.string().optional(),
});
export const FillHistoryRequest = z.object({
  sub_account_id: UintText,
  ...Filters,
  start_time: NanosText.optional(),
  end_time: NanosText.optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().optional(),
});
/** ApiFundingPaymentHistoryRequest: one instrument, or the kind/base/quote filters, or all. */
export const FundingPaymentHistoryRequest = z.object({
  sub_account_id: UintText,
  instrument: z.string().optional(),
  ...Filters,
  start_time: NanosText.optional(),
  end_time: NanosText.optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().optional(),
});
export const CancelOnDisconnectRequest = z.object({
  sub_account_id: UintText,
  /** Milliseconds; the docs type it as a string and show a number in an example, so both are taken. */
  countdown_time: z.union([z.string().regex(/^-?\d+$/), z.number().int()]).optional(),
});

/** A JSON-RPC request on `/ws/full`. */
export const JsonRpcRequest = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.string(),
  params: z.unknown().optional(),
  id: z.number().int().min(0).max(2 ** 32 - 1).optional(),
});
export const SubscribeParams = z.object({
  stream: z.string(),
  selectors: z.array(z.string()).min(1),
  use_global_sequence_number: z.boolean().optional(),
});

/** First issue of a failed parse, phrased for an error message. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid request';
  const path = issue.path.length ? issue.path.join('.') : 'body';
  return `${path}: ${issue.message}`;
}
