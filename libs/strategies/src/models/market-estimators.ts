import type { MarketEvent } from '../model/pricing-model.js';
import type { VolatilityEstimator } from '../estimators/volatility-estimator.js';
import type { IntensityFit, TradeIntensityEstimator } from '../estimators/trade-intensity.js';
import { createVolatilityEstimator, type VolatilityParams } from '../estimators/volatility-params.js';
import { createIntensityEstimator, type IntensityParams } from '../estimators/intensity-params.js';
import { bookMid } from './book-mid.js';

/**
 * The trailing σ and the online (A, κ) fit that the Avellaneda-Stoikov and GLFT models read, fed from the same market
 * events: each book's mid updates both, each trade the intensity fit.
 */
export class MarketEstimators {
  private readonly vol: VolatilityEstimator;
  private readonly intensity: TradeIntensityEstimator;

  constructor(params: VolatilityParams & IntensityParams, tickSize: number) {
    this.vol = createVolatilityEstimator(params);
    this.intensity = createIntensityEstimator(params, tickSize);
  }

  onMarketEvent(e: MarketEvent): void {
    if (e.kind === 'book') {
      const mid = bookMid(e.book);
      if (mid === undefined) return;
      this.vol.update(e.ts, mid);
      this.intensity.onMid(e.ts, mid);
    } else if (e.kind === 'trade') {
      this.intensity.onTrade(e.ts, e.trade.price);
    }
  }

  /** σ in price per √second; undefined until the estimator has its minimum samples. */
  sigma(): number | undefined {
    return this.vol.sigma();
  }

  /** The (A, κ) fit; undefined until it has enough trades and distance buckets. */
  intensityFit(): IntensityFit | undefined {
    return this.intensity.fit();
  }

  intensityTrades(): number {
    return this.intensity.tradeCount();
  }
}
