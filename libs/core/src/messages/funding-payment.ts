import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { DecimalText } from '../decimal-text.js';

/**
 * One funding payment of one position as the venue settled it, and, once booked, on
 * funding.<venue>.<account>.<symbol>. `paymentId` is stable: the venue's own id, or one made
 * from venue, account, symbol and funding time where the venue gives none, so a payment seen
 * twice (history and stream, before and after a restart) is booked once.
 */
export const FundingPayment = z.object({
  paymentId: z.string().min(1).max(128),
  venue: z.string().min(1),
  account: z.string().min(1),
  symbol: CanonicalSymbol,
  /** Quote currency; positive paid by us (a cost, like fees), negative received. */
  amount: DecimalText,
  /** The settlement asset when the venue names it. */
  asset: z.string().min(1).optional(),
  /** The venue's settlement time (ms). */
  tsExchange: z.number().int().nonnegative(),
});
export type FundingPayment = z.infer<typeof FundingPayment>;

/** A deterministic payment id where the venue gives none: one position's settlement at one funding time. */
export function derivedFundingPaymentId(venue: string, account: string, symbol: string, fundingTimeMs: number): string {
  return `${venue}:${account}:${symbol}:${fundingTimeMs}`;
}
