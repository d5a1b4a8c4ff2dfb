/**
 * A trailing volatility of the mid. σ is in price units per √second (the
 * standard deviation of the mid's change over one second), zero-mean: at
 * these horizons the drift is noise, and subtracting it would hide a trend's
 * risk.
 */
export interface VolatilityEstimator {
  /** Feed a mid at event time `ts` (ms). */
  update(ts: number, mid: number): void;
  /** σ in price per √s, once `ready()`; undefined before. */
  sigma(): number | undefined;
  /** Returns sampled so far (bounded by the window for the fixed window). */
  samples(): number;
  ready(): boolean;
}
