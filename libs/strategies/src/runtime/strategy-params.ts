import { z } from 'zod';
import type { Instrument } from '@perpetua/core';
import { FixedSpreadParams } from '../fixed-spread.js';
import { HygieneParams, HYGIENE_KEYS } from './hygiene-params.js';
import type { PricingModel } from './model-contract.js';
import { FixedSpreadModel } from './fixed-spread-model.js';

/** The model's parameters (by kind). */
export const StrategyModelParams = FixedSpreadParams;
export type StrategyModelParams = z.infer<typeof StrategyModelParams>;

/**
 * A strategy's `params`: its model's parameters and the quote hygiene in one
 * object. Every key must belong to one of them (the config loader names an
 * unknown one); the volatility pause needs resume below pause.
 */
export const StrategyParams = z.intersection(StrategyModelParams, HygieneParams).superRefine((p, ctx) => {
  if (p.volatility_resume_bps !== undefined && p.volatility_pause_bps === undefined) {
    ctx.addIssue({ code: 'custom', path: ['volatility_resume_bps'], message: 'needs volatility_pause_bps (the level that starts the pause)' });
  }
  if (p.volatility_resume_bps !== undefined && p.volatility_pause_bps !== undefined && p.volatility_resume_bps >= p.volatility_pause_bps) {
    ctx.addIssue({ code: 'custom', path: ['volatility_resume_bps'], message: `expected below volatility_pause_bps (${p.volatility_pause_bps})` });
  }
});
export type StrategyParams = z.infer<typeof StrategyParams>;

/** The hygiene half of a strategy's params. */
export function hygieneOf(params: StrategyParams): HygieneParams {
  return HygieneParams.parse(Object.fromEntries(Object.entries(params).filter(([k]) => HYGIENE_KEYS.includes(k))));
}

/** The pricing model a strategy's params name. */
export function createModel(params: StrategyParams, _instrument: Instrument): PricingModel {
  return new FixedSpreadModel(params);
}
