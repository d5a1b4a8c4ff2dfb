import { z } from 'zod';
import type { Instrument } from '@perpetua/core';
import type { PricingModel } from './pricing-model.js';
import { FixedSpreadModel, FixedSpreadModelParams } from '../models/fixed-spread-model.js';

/**
 * Every pricing model's parameters, discriminated on `kind`. Loose, never strict: the
 * runtime merges its quote-hygiene keys (order_levels, order_refresh_time…)
 * into the same object; unknown keys pass through and each model ignores them.
 */
export const StrategyModelParams = z.discriminatedUnion('kind', [FixedSpreadModelParams]);
export type StrategyModelParams = z.infer<typeof StrategyModelParams>;

/** The model for validated params, on one instrument. */
export function createPricingModel(params: StrategyModelParams, instrument: Instrument): PricingModel {
  void instrument;
  switch (params.kind) {
    case 'fixed-spread':
      return new FixedSpreadModel(params);
  }
}
