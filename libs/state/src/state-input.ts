import { z } from 'zod';
import { CanonicalSymbol, DecimalText, Fill, OrderEvent, canonicalDecimal } from '@perpetua/core';
import { HaltState } from './state-store.js';
import { StateInputError } from './state-errors.js';

/**
 * Validation of what callers hand the store, shared by both implementations so
 * they accept and refuse exactly the same things.
 */

export function parseFill(fill: unknown): Fill {
  return parse(Fill, fill, 'fill');
}

const FundingInput = z.object({
  venue: z.string().min(1),
  account: z.string().min(1),
  symbol: CanonicalSymbol,
  amount: DecimalText,
  paymentId: z.string().min(1).max(128),
});
export type FundingInput = z.infer<typeof FundingInput>;

export function parseFunding(venue: string, account: string, symbol: string, amount: string, paymentId: string): FundingInput {
  const input = parse(FundingInput, { venue, account, symbol, amount, paymentId }, 'funding payment');
  return { ...input, amount: canonicalDecimal(input.amount) };
}

export function parseHalt(state: unknown): HaltState {
  return parse(HaltState, state, 'halt state');
}

export function parseOpenOrders(venue: string, account: string, orders: unknown): OrderEvent[] {
  const list = parse(z.array(OrderEvent), orders, 'open orders');
  const stray = list.find((o) => o.venue !== venue || o.account !== account);
  if (stray) {
    throw new StateInputError(`open orders for ${venue}/${account} include order ${stray.clientOrderId} of ${stray.venue}/${stray.account}`);
  }
  return list;
}

export function parseWatermark(tsMs: unknown): number {
  return parse(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), tsMs, 'fill watermark');
}

export function parseKeyPart(what: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new StateInputError(`${what} must be a non-empty string`);
  return value;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  let r: z.ZodSafeParseResult<T>;
  try {
    r = schema.safeParse(value);
  } catch (err) {
    // Some refinements (PositiveDecimalText on non-decimal text) throw instead of reporting an issue.
    throw new StateInputError(`invalid ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!r.success) throw new StateInputError(`invalid ${what}: ${z.prettifyError(r.error)}`);
  return r.data;
}
