import type { FixedSpreadParams } from '../fixed-spread.js';
import type { LevelZero, PricingContext, PricingModel } from './model-contract.js';

/** Fixed spread as a pricing model: bid = mid·(1−s), ask = mid·(1+s), constant size; no state. */
export class FixedSpreadModel implements PricingModel {
  constructor(private readonly params: FixedSpreadParams) {}

  onMarketEvent(): void {}

  quote(ctx: PricingContext): LevelZero | null {
    if (!(ctx.mid > 0)) return null;
    const s = this.params.spreadBps / 10_000;
    const size = Number(this.params.size);
    return { bid: { price: ctx.mid * (1 - s), size }, ask: { price: ctx.mid * (1 + s), size } };
  }

  diagnostics(): Record<string, number> {
    return { spreadBps: this.params.spreadBps };
  }
}
