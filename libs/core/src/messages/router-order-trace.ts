import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';
import { Trace } from './trace.js';

/**
 * router.trace.<venue> (opt-in, `telemetry.publishOrderTraces`): one per order the
 * router has sent, with the hop timestamps of the book change that caused it, so
 * a benchmark can join it to the order's arrival at the venue by client order id.
 */
export const RouterOrderTrace = z.object({
  venue: z.string().min(1),
  symbol: CanonicalSymbol,
  clientOrderId: z.string().min(1).max(64),
  trace: Trace,
});
export type RouterOrderTrace = z.infer<typeof RouterOrderTrace>;

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** The subject of a venue's order traces; the venue is checked like every subject token. */
export function routerOrderTraceSubject(venue: string): string {
  if (!TOKEN.test(venue)) throw new Error(`invalid venue for a subject: ${JSON.stringify(venue)}`);
  return `router.trace.${venue}`;
}
