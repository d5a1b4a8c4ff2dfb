import { z } from 'zod';
import { TradeIntensityEstimator } from './trade-intensity.js';

/** The trade-intensity keys shared by avellaneda-stoikov and glft (spread into their schemas). */
export const intensityParamShape = {
  /** Seconds of trades the fit uses. Default 600. */
  trading_intensity_window_seconds: z.number().positive().default(600),
  /** At most this many trades are kept (Hummingbot's name). Default 2000. */
  trading_intensity_buffer_size: z.number().int().min(10).max(1_000_000).default(2000),
  /** Distance bucket width, bps of the mid (never below one tick). Default 0.5. */
  trading_intensity_bucket_bps: z.number().positive().default(0.5),
  /** Distance buckets fitted from the mid out. Default 20. */
  trading_intensity_buckets: z.number().int().min(3).max(1000).default(20),
  /** Trades in the window before the first fit. Default 30. */
  trading_intensity_min_trades: z.number().int().min(3).default(30),
  /** Seconds of event time between refits. Default 10. */
  trading_intensity_refit_seconds: z.number().positive().default(10),
  /** Fixed κ (per price unit): when set, used instead of the fit. */
  kappa: z.number().positive().finite().optional(),
  /** Fixed A (trades per second at the mid): when set with kappa, used instead of the fit. */
  intensity_a: z.number().positive().finite().optional(),
};

export interface IntensityParams {
  trading_intensity_window_seconds: number;
  trading_intensity_buffer_size: number;
  trading_intensity_bucket_bps: number;
  trading_intensity_buckets: number;
  trading_intensity_min_trades: number;
  trading_intensity_refit_seconds: number;
}

export function createIntensityEstimator(p: IntensityParams, tickSize: number): TradeIntensityEstimator {
  return new TradeIntensityEstimator({
    windowSec: p.trading_intensity_window_seconds,
    maxTrades: p.trading_intensity_buffer_size,
    bucketBps: p.trading_intensity_bucket_bps,
    minBucket: tickSize,
    buckets: p.trading_intensity_buckets,
    minTrades: p.trading_intensity_min_trades,
    refitSec: p.trading_intensity_refit_seconds,
  });
}
