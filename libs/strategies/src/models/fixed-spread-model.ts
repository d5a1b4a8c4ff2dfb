import { z } from 'zod';
import type { LevelZero, PricingContext, PricingModel } from '../model/pricing-model.js';

/**
 * fixed-spread: bid = mid·(1−s), ask = mid·(1+s), constant size. No state, no
 * warm-up: the simplest market maker, and the baseline the others are judged against.
 */
export const FixedSpreadModelParams = z.looseObject({
  kind: z.literal('fixed-spread'),
  /** Half-spread s in basis points of mid (5 = 0.05% each side). */
  bid_spread_bps: z.number().positive().max(10_000).optional(),
  ask_spread_bps: z.number().positive().max(10_000).optional(),
  /** Half-spread for both sides, bps of mid, when bid/ask_spread_bps are not given. Default 10. */
  spread_bps: z.number().positive().max(10_000).default(10),
  /** Level-0 size per side in base units. */
  order_amount: z.number().positive().finite(),
});
export type FixedSpreadModelParams = z.infer<typeof FixedSpreadModelParams>;

export class FixedSpreadModel implements PricingModel {
  /** quote() reads the context's mid and the params, nothing else. */
  readonly stateless = true;

  constructor(private readonly params: FixedSpreadModelParams) {}

  onMarketEvent(): void {}

  quote(ctx: PricingContext): LevelZero | null {
    if (!(ctx.mid > 0) || !Number.isFinite(ctx.mid)) return null;
    const b = (this.params.bid_spread_bps ?? this.params.spread_bps) / 10_000;
    const a = (this.params.ask_spread_bps ?? this.params.spread_bps) / 10_000;
    const size = this.params.order_amount;
    return { bid: { price: ctx.mid * (1 - b), size }, ask: { price: ctx.mid * (1 + a), size } };
  }

  diagnostics(): Record<string, number> {
    return {
      bidSpreadBps: this.params.bid_spread_bps ?? this.params.spread_bps,
      askSpreadBps: this.params.ask_spread_bps ?? this.params.spread_bps,
    };
  }
}
