import { z } from 'zod';
import type { MarketView, RawQuote } from './market-view.js';

/**
 * Fixed spread: bid = mid·(1−s), ask = mid·(1+s), one level a side, constant size.
 * The simplest market maker; the others (adaptive, uptime) plug into the same shape.
 */
export const FixedSpreadParams = z.object({
  kind: z.literal('fixed-spread'),
  /** Half-spread s in basis points of mid (5 = 0.05% each side). */
  spreadBps: z.number().positive().max(10_000),
  /** Order size in base units per side, as a decimal string (e.g. "0.01"). */
  size: z.string().regex(/^\d+(\.\d+)?$/),
  /** Re-quote only when mid moved by at least this many bps (0 = every book). */
  requoteBps: z.number().nonnegative().default(0),
});
export type FixedSpreadParams = z.infer<typeof FixedSpreadParams>;

export function fixedSpreadQuotes(view: MarketView, params: FixedSpreadParams): RawQuote[] {
  if (!(view.mid > 0)) return [];
  const s = params.spreadBps / 10_000;
  const qty = Number(params.size);
  return [
    { slot: 'bid-0', side: 'buy', price: view.mid * (1 - s), qty },
    { slot: 'ask-0', side: 'sell', price: view.mid * (1 + s), qty },
  ];
}
