import { z } from 'zod';
import type { LevelZero, MarketEvent, PricingContext, PricingModel } from '../model/pricing-model.js';
import { volatilityParamShape } from '../estimators/volatility-params.js';
import { intensityParamShape } from '../estimators/intensity-params.js';
import { glftCoefficients, glftQuote } from './glft-formulas.js';
import { MarketEstimators } from './market-estimators.js';

/**
 * glft (Guéant–Lehalle–Fernandez-Tapia, infinite horizon):
 *   c1 = (1/(ξΔ))·ln(1 + ξΔ/κ),  c2 = sqrt(γ/(2AΔκ)·(1 + ξΔ/κ)^(κ/(ξΔ)+1))
 *   half = c1 + (Δ/2)·σ·c2,  skew = σ·c2
 *   bid = fair − (half + skew·q),  ask = fair + (half − skew·q)
 * with fair = mid, q = position − target_position and Δ = order size, both in
 * base units; σ in price per √second; A (trades/s) and κ (per price unit)
 * from the online fit (or both configured). No quote until σ and A, κ are
 * known: unlike AS the half-spread needs A, which the book does not reveal.
 */
export const GlftModelParams = z.looseObject({
  kind: z.literal('glft'),
  /** γ > 0, per (price · base unit). */
  risk_factor: z.number().positive().finite(),
  /** ξ, per (price · base unit). Default γ (the usual choice: the same aversion in the objective and the penalty). */
  xi: z.number().positive().finite().optional(),
  /** Level-0 size per side, base units; also Δ unless `delta` is set. */
  order_amount: z.number().positive().finite(),
  /** Δ, base units. Default order_amount. */
  delta: z.number().positive().finite().optional(),
  /** Floor on the total spread, bps of mid. Default 0. */
  min_spread: z.number().nonnegative().max(10_000).default(0),
  target_position: z.number().finite().default(0),
  ...volatilityParamShape,
  ...intensityParamShape,
});
export type GlftModelParams = z.infer<typeof GlftModelParams>;

export class GlftModel implements PricingModel {
  private readonly estimators: MarketEstimators;
  private last: Record<string, number> = {};

  constructor(
    private readonly params: GlftModelParams,
    tickSize: number,
  ) {
    this.estimators = new MarketEstimators(params, tickSize);
  }

  onMarketEvent(e: MarketEvent): void {
    this.estimators.onMarketEvent(e);
  }

  quote(ctx: PricingContext): LevelZero | null {
    const { mid } = ctx;
    if (!(mid > 0) || !Number.isFinite(mid)) return null;
    const sigma = this.estimators.sigma();
    if (sigma === undefined) return null;
    const p = this.params;
    const fit = this.estimators.intensityFit();
    const configured = p.kappa !== undefined && p.intensity_a !== undefined;
    const kappa = configured ? p.kappa! : fit?.kappa;
    const a = configured ? p.intensity_a! : fit?.a;
    if (kappa === undefined || a === undefined) return null;
    const delta = p.delta ?? p.order_amount;
    const c = glftCoefficients(p.risk_factor, p.xi ?? p.risk_factor, delta, a, kappa);
    const q = ctx.position - p.target_position;
    const g = glftQuote(mid, q, sigma, delta, c);
    // min_spread widens both sides equally around the skewed centre.
    const widen = Math.max(0, (mid * p.min_spread) / 10_000 / 2 - g.halfSpread);
    const bid = g.bid - widen;
    const ask = g.ask + widen;
    this.last = { sigma, kappa, intensityA: a, c1: c.c1, c2: c.c2, halfSpread: g.halfSpread + widen, skew: g.skew, intensityTrades: this.estimators.intensityTrades() };
    if (!Number.isFinite(bid) || !Number.isFinite(ask)) return null;
    const out: LevelZero = {};
    if (bid > 0) out.bid = { price: bid, size: p.order_amount };
    if (ask > 0) out.ask = { price: ask, size: p.order_amount };
    return out;
  }

  diagnostics(): Record<string, number> {
    return { ...this.last };
  }
}
