import { z } from 'zod';
import { CanonicalSymbol, DecimalText, Fill, FundingPayment, Instrument, OrderEvent, OrderStatus } from '@perpetua/core';
import type { PlaceResult, VenueBalance, VenueOrder, VenuePosition } from '../../src/venue-adapter.js';

/**
 * What a trading adapter may hand the router from a venue's REST answer, whatever the answer was: records the bus
 * and the state store can take (a half-read record must be refused, not passed on). The adapter types have no
 * schema of their own; these say what the router relies on.
 */
const VenueOrderRecord = OrderEvent.pick({ symbol: true, clientOrderId: true, venueOrderId: true, side: true, price: true, qty: true, filledQty: true }).extend({ status: OrderStatus });
const VenuePositionRecord = z.object({ symbol: CanonicalSymbol, qty: DecimalText, avgEntry: DecimalText });
const VenueBalanceRecord = z.object({ asset: z.string().min(1), total: DecimalText, available: DecimalText, equity: DecimalText.optional() });
const PlaceResultRecord = z.discriminatedUnion('status', [
  z.object({ status: z.literal('accepted'), venueOrderId: z.string().optional(), orderStatus: OrderStatus }),
  z.object({ status: z.literal('rejected'), reason: z.string(), rateLimited: z.object({ retryAfterMs: z.number().nonnegative() }).optional() }),
  z.object({ status: z.literal('unknown'), reason: z.string() }),
]);

const first = (r: { success: boolean; error?: z.ZodError }): string | undefined => (r.success ? undefined : (r.error?.issues[0] ? `${r.error.issues[0].path.join('.')}: ${r.error.issues[0].message}` : 'invalid'));

/** What is wrong with each kind of record, or undefined. */
export const problemOf = {
  order: (o: VenueOrder) => first(VenueOrderRecord.safeParse(o)),
  position: (p: VenuePosition) => first(VenuePositionRecord.safeParse(p)),
  balance: (b: VenueBalance) => first(VenueBalanceRecord.safeParse(b)),
  place: (r: PlaceResult) => first(PlaceResultRecord.safeParse(r)),
  orderEvent: (e: OrderEvent) => first(OrderEvent.safeParse(e)),
  fill: (f: Fill) => first(Fill.safeParse(f)),
  funding: (p: FundingPayment) => first(FundingPayment.safeParse(p)),
};

/** The problems of a value a REST-backed adapter call resolved with, by what the call returns. */
export function problemsOfResult(kind: 'orders' | 'order' | 'positions' | 'balances' | 'place' | 'fills' | 'fundings' | 'instruments' | 'count' | 'boolean', value: unknown): string[] {
  const all = <T>(check: (x: T) => string | undefined) => (Array.isArray(value) ? (value as T[]).map(check).filter((p): p is string => p !== undefined) : ['not a list']);
  switch (kind) {
    case 'orders':
      return all(problemOf.order);
    case 'order':
      return value === undefined ? [] : [problemOf.order(value as VenueOrder)].filter((p): p is string => p !== undefined);
    case 'positions':
      return all(problemOf.position);
    case 'balances':
      return all(problemOf.balance);
    case 'place':
      return [problemOf.place(value as PlaceResult)].filter((p): p is string => p !== undefined);
    case 'fills':
      return all(problemOf.fill);
    case 'fundings':
      return all(problemOf.funding);
    case 'instruments':
      return all((i: Instrument) => first(Instrument.safeParse(i)));
    case 'count':
      return Number.isSafeInteger(value) && (value as number) >= 0 ? [] : [`count ${String(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`not a boolean: ${String(value)}`];
  }
}
