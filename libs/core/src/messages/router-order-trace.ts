import { z } from 'zod';
import { subjectBuilder } from '../subject.js';
import { CanonicalSymbol } from '../symbol.js';
import { Trace } from './trace.js';
import { DecimalText } from '../decimal-text.js';

/**
 * router.trace.<venue> (opt-in, `telemetry.publishOrderTraces`): one per order request
 * (place or amend) the router has sent, with the hop timestamps of the book change
 * that caused it, so a benchmark can join it to the request's arrival at the venue
 * by client order id, price and qty.
 */
export const RouterOrderTrace = z.object({
  venue: z.string().min(1),
  symbol: CanonicalSymbol,
  clientOrderId: z.string().min(1).max(64),
  /** A new order, or an amend of a resting one (same client order id, new price and qty). */
  kind: z.enum(['place', 'amend']).default('place'),
  /** The request's price and qty: with the client order id, they tell an amend from the order's earlier requests. */
  price: DecimalText.optional(),
  qty: DecimalText.optional(),
  trace: Trace,
});
export type RouterOrderTrace = z.infer<typeof RouterOrderTrace>;

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** The subject of a venue's order traces; the venue is checked like every subject token. */
export const routerOrderTraceSubject = subjectBuilder(RouterOrderTrace, (venue: string) => {
  if (!TOKEN.test(venue)) throw new Error(`invalid venue for a subject: ${JSON.stringify(venue)}`);
  return `router.trace.${venue}`;
});
