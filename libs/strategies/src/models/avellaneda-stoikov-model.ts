import { z } from 'zod';
import type { LevelZero, MarketEvent, PricingContext, PricingModel } from '../model/pricing-model.js';
import { volatilityParamShape } from '../estimators/volatility-params.js';
import { intensityParamShape } from '../estimators/intensity-params.js';
import { avellanedaStoikovQuote, kappaForSpread } from './avellaneda-stoikov-formulas.js';
import { horizonParamShape, timeToHorizon } from './horizon.js';
import { MarketEstimators } from './market-estimators.js';

/**
 * avellaneda-stoikov: reservation price r = s − q·γ·σ²·(T−t) and total spread
 * γ·σ²·(T−t) + (2/γ)·ln(1+γ/κ), quotes at r ∓ spread/2, sizes
 * order_amount·e^(−ηq) (bid) and order_amount·e^(ηq) (ask).
 *
 * Units: s and prices in quote currency, q = position − target_position in
 * base units, σ in price per √second (trailing estimator), T − t in seconds
 * (horizon), κ per price unit. γ is therefore per (price · base unit): the
 * inventory shift for one base unit over one second of horizon is γσ².
 *
 * Warm-up: no quote until σ is known (volatility_min_samples samples). κ is,
 * in order: the fixed `kappa` when configured; the online fit once it has
 * trading_intensity_min_trades trades and three distance buckets; else the κ
 * at which the AS spread equals the current book spread (quote like the
 * market until the market's fills are measured).
 */
export const AvellanedaStoikovModelParams = z.looseObject({
  kind: z.literal('avellaneda-stoikov'),
  /** γ > 0, per (price · base unit). Required: its scale depends on the symbol's price and the horizon. */
  risk_factor: z.number().positive().finite(),
  /** η ≥ 0: sizes e^(−ηq) bid, e^(ηq) ask, q in base units. Default 0 (constant size). */
  order_amount_shape_factor: z.number().nonnegative().finite().default(0),
  /** Level-0 size per side before shaping, base units. */
  order_amount: z.number().positive().finite(),
  /** Floor on the total spread, bps of mid. Default 0. */
  min_spread: z.number().nonnegative().max(10_000).default(0),
  /** Inventory the reservation price steers to, base units. Default 0. */
  target_position: z.number().finite().default(0),
  ...horizonParamShape,
  ...volatilityParamShape,
  ...intensityParamShape,
});
export type AvellanedaStoikovModelParams = z.infer<typeof AvellanedaStoikovModelParams>;

/** Where κ came from, in diagnostics: 0 fitted, 1 configured, 2 implied by the book spread. */
export const KAPPA_SOURCE = { fitted: 0, configured: 1, book: 2 } as const;

export class AvellanedaStoikovModel implements PricingModel {
  private readonly estimators: MarketEstimators;
  private last: Record<string, number> = {};

  constructor(
    private readonly params: AvellanedaStoikovModelParams,
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
    const gamma = p.risk_factor;
    const fit = this.estimators.intensityFit();
    let kappa: number;
    let source: number;
    if (p.kappa !== undefined) {
      kappa = p.kappa;
      source = KAPPA_SOURCE.configured;
    } else if (fit) {
      kappa = fit.kappa;
      source = KAPPA_SOURCE.fitted;
    } else {
      const bookSpread = ctx.bestAsk - ctx.bestBid;
      if (!(bookSpread > 0)) return null;
      kappa = kappaForSpread(gamma, bookSpread);
      source = KAPPA_SOURCE.book;
    }
    if (!(kappa > 0) || !Number.isFinite(kappa)) return null;
    const q = ctx.position - p.target_position;
    const tau = timeToHorizon(p, ctx.now);
    const as = avellanedaStoikovQuote(mid, q, gamma, sigma, tau, kappa);
    const spread = Math.max(as.spread, (mid * p.min_spread) / 10_000);
    const bid = as.reservation - spread / 2;
    const ask = as.reservation + spread / 2;
    const eta = p.order_amount_shape_factor;
    const bidSize = p.order_amount * Math.exp(-eta * q);
    const askSize = p.order_amount * Math.exp(eta * q);
    this.last = {
      sigma,
      kappa,
      kappaSource: source,
      intensityA: fit?.a ?? 0,
      tau,
      reservationPrice: as.reservation,
      spread,
      halfSpread: spread / 2,
      intensityTrades: this.estimators.intensityTrades(),
    };
    const out: LevelZero = {};
    if (bid > 0 && Number.isFinite(bid) && Number.isFinite(bidSize)) out.bid = { price: bid, size: bidSize };
    if (ask > 0 && Number.isFinite(ask) && Number.isFinite(askSize)) out.ask = { price: ask, size: askSize };
    return out;
  }

  diagnostics(): Record<string, number> {
    return { ...this.last };
  }
}
