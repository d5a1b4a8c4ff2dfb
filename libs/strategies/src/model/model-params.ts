import { z } from 'zod';
import type { Instrument } from '@perpetua/core';
import type { PricingModel } from './pricing-model.js';
import { FixedSpreadModel, FixedSpreadModelParams } from '../models/fixed-spread-model.js';
import { AdaptiveModel, AdaptiveModelParams } from '../models/adaptive-model.js';
import { AvellanedaStoikovModel, AvellanedaStoikovModelParams } from '../models/avellaneda-stoikov-model.js';
import { GlftModel, GlftModelParams } from '../models/glft-model.js';
import { MakerYieldModel, MakerYieldModelParams } from '../models/maker-yield-model.js';

/**
 * Every pricing model's parameters, discriminated on `kind`. Loose, never strict: the
 * runtime merges its quote-hygiene keys (order_levels, order_refresh_time…)
 * into the same object; unknown keys pass through and each model ignores them.
 */
export const StrategyModelParams = z.discriminatedUnion('kind', [
  FixedSpreadModelParams,
  AdaptiveModelParams,
  AvellanedaStoikovModelParams,
  GlftModelParams,
  MakerYieldModelParams,
]);
export type StrategyModelParams = z.infer<typeof StrategyModelParams>;

/** The model for validated params, on one instrument. */
export function createPricingModel(params: StrategyModelParams, instrument: Instrument): PricingModel {
  const tick = Number(instrument.tickSize);
  switch (params.kind) {
    case 'fixed-spread':
      return new FixedSpreadModel(params);
    case 'adaptive':
      return new AdaptiveModel(params);
    case 'avellaneda-stoikov':
      return new AvellanedaStoikovModel(params, tick);
    case 'glft':
      return new GlftModel(params, tick);
    case 'maker-yield':
      return new MakerYieldModel(params, instrument);
  }
}
