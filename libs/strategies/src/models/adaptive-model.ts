import { z } from 'zod';
import type { LevelZero, MarketEvent, PricingContext, PricingModel } from '../model/pricing-model.js';
import type { VolatilityEstimator } from '../estimators/volatility-estimator.js';
import { createVolatilityEstimator, volatilityParamShape } from '../estimators/volatility-params.js';
import { bookMid } from './book-mid.js';

/**
 * adaptive (the original bot's): a half-spread that widens with volatility and
 * quotes that lean against the inventory.
 *
 *   σ_bps = σ / mid · 10⁴                   (bps of mid per √second)
 *   half  = base_spread_bps · (1 + volatility_multiplier · σ_bps)   (bps of mid)
 *   u     = clamp((position − target_position) / max_position, −1, 1)
 *   shift = skew_coefficient · u · half      (the skew is a fraction of the half-spread)
 *   bid   = mid·(1 − (half + shift)/10⁴),  ask = mid·(1 + (half − shift)/10⁴)
 *
 * The skew is measured in half-spreads, not in bps of mid, so one coefficient
 * means the same on every symbol and in every volatility regime: at full
 * position and skew_coefficient 1 the far quote sits two half-spreads away and
 * the near one at the mid. Until σ is known the half-spread is the base
 * (σ treated as 0).
 */
export const AdaptiveModelParams = z.looseObject({
  kind: z.literal('adaptive'),
  /** Base half-spread, bps of mid. Default 10. */
  base_spread_bps: z.number().positive().max(10_000).default(10),
  /** Widening per bps/√s of σ (dimensionless × bps⁻¹). Default 1: σ of 1 bps/√s doubles the spread. */
  volatility_multiplier: z.number().nonnegative().default(1),
  /** Skew at full position, in half-spreads. Default 1. 0 disables the skew. */
  skew_coefficient: z.number().nonnegative().max(10).default(1),
  /** Inventory the skew steers to, base units. Default 0. */
  target_position: z.number().finite().default(0),
  /** Level-0 size per side, base units. */
  order_amount: z.number().positive().finite(),
  ...volatilityParamShape,
});
export type AdaptiveModelParams = z.infer<typeof AdaptiveModelParams>;

export class AdaptiveModel implements PricingModel {
  private readonly vol: VolatilityEstimator;
  private last: Record<string, number> = {};

  constructor(private readonly params: AdaptiveModelParams) {
    this.vol = createVolatilityEstimator(params);
  }

  onMarketEvent(e: MarketEvent): void {
    if (e.kind !== 'book') return;
    const mid = bookMid(e.book);
    if (mid !== undefined) this.vol.update(e.ts, mid);
  }

  quote(ctx: PricingContext): LevelZero | null {
    const { mid } = ctx;
    if (!(mid > 0) || !Number.isFinite(mid) || !(ctx.maxPosition > 0)) return null;
    const p = this.params;
    const sigma = this.vol.sigma();
    const sigmaBps = sigma === undefined ? 0 : (sigma / mid) * 10_000;
    const half = p.base_spread_bps * (1 + p.volatility_multiplier * sigmaBps);
    const u = Math.max(-1, Math.min(1, (ctx.position - p.target_position) / ctx.maxPosition));
    const shift = p.skew_coefficient * u * half;
    const bid = mid * (1 - (half + shift) / 10_000);
    const ask = mid * (1 + (half - shift) / 10_000);
    this.last = { sigma: sigma ?? 0, sigmaBps, halfSpreadBps: half, skewBps: shift, volatilitySamples: this.vol.samples() };
    // A half-spread past 100% of mid would price the bid at or below zero: that side is not quoted.
    return { ...(bid > 0 ? { bid: { price: bid, size: p.order_amount } } : {}), ask: { price: ask, size: p.order_amount } };
  }

  diagnostics(): Record<string, number> {
    return { ...this.last };
  }
}
