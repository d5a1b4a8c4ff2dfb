import { z } from 'zod';
import { EwmaVolatility } from './ewma-volatility.js';
import { WindowVolatility } from './window-volatility.js';
import type { VolatilityEstimator } from './volatility-estimator.js';

/** The trailing-volatility keys shared by the models that use σ (spread into their schemas). */
export const volatilityParamShape = {
  /** `ewma` (default; reacts faster, O(1)) or `window` (equal weights over the last N samples). */
  volatility_estimator: z.enum(['ewma', 'window']).default('ewma'),
  /** N, in samples: the EWMA's span or the fixed window's length. Default 60 (a minute at 1 s). */
  volatility_window: z.number().int().min(2).max(100_000).default(60),
  /** Seconds of event time between samples of the mid. Default 1. */
  volatility_sample_seconds: z.number().positive().max(3600).default(1),
  /** Samples before σ counts as known (warm-up). Default 10. */
  volatility_min_samples: z.number().int().min(1).default(10),
};

export interface VolatilityParams {
  volatility_estimator: 'ewma' | 'window';
  volatility_window: number;
  volatility_sample_seconds: number;
  volatility_min_samples: number;
}

export function createVolatilityEstimator(p: VolatilityParams): VolatilityEstimator {
  const minSamples = Math.min(p.volatility_min_samples, p.volatility_window);
  return p.volatility_estimator === 'ewma'
    ? new EwmaVolatility({ sampleIntervalSec: p.volatility_sample_seconds, span: p.volatility_window, minSamples })
    : new WindowVolatility({ sampleIntervalSec: p.volatility_sample_seconds, window: p.volatility_window, minSamples });
}
