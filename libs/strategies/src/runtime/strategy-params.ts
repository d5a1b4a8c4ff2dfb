import { z } from 'zod';
import type { Instrument } from '@perpetua/core';
import { StrategyModelParams, createPricingModel } from '../model/model-params.js';
import type { PricingModel } from '../model/pricing-model.js';
import { HygieneParams, HygieneShape, HYGIENE_KEYS } from './hygiene-params.js';

/**
 * The first fixed-spread config's names (spreadBps, size, requoteBps), still
 * accepted so existing configs keep working; they map onto spread_bps,
 * order_amount and order_refresh_tolerance_pct.
 */
const LegacyFixedSpreadShape = {
  spreadBps: z.number().positive().max(10_000).optional(),
  size: z.union([z.string().regex(/^\d+(\.\d+)?$/), z.number().positive()]).optional(),
  requoteBps: z.number().nonnegative().optional(),
} as const;
const LEGACY_KEYS = Object.keys(LegacyFixedSpreadShape);

function fromLegacy(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const p = { ...(input as Record<string, unknown>) };
  if (p.kind !== 'fixed-spread') return p;
  if (p.spreadBps !== undefined && p.spread_bps === undefined) p.spread_bps = p.spreadBps;
  if (p.size !== undefined && p.order_amount === undefined) p.order_amount = Number(p.size);
  if (typeof p.requoteBps === 'number' && p.order_refresh_tolerance_pct === undefined) p.order_refresh_tolerance_pct = p.requoteBps / 100;
  return p;
}

/** Keys each model kind declares (its params are loose objects, so unknown keys are found here). */
function modelKeys(kind: unknown): string[] | undefined {
  for (const option of StrategyModelParams.options) {
    const shape = (option as unknown as { shape: Record<string, { _zod: { def: { values?: unknown[] } } }> }).shape;
    if (shape.kind?._zod.def.values?.includes(kind)) return Object.keys(shape);
  }
  return undefined;
}

/**
 * A strategy's `params`: its model's parameters (by `kind`) and the quote
 * hygiene in one object. A key that belongs to neither the kind's model nor
 * the hygiene is refused by name; the volatility pause needs resume below pause.
 */
export const StrategyParams = z.preprocess(
  fromLegacy,
  z
    .intersection(StrategyModelParams, z.object({ ...HygieneShape, ...LegacyFixedSpreadShape }))
    .superRefine((p, ctx) => {
      const declared = modelKeys(p.kind);
      if (declared) {
        const allowed = new Set([...declared, ...HYGIENE_KEYS, ...(p.kind === 'fixed-spread' ? LEGACY_KEYS : [])]);
        const unknown = Object.keys(p).filter((k) => !allowed.has(k));
        if (unknown.length > 0) ctx.addIssue({ code: 'unrecognized_keys', keys: unknown, path: [], input: p });
      }
      if (p.volatility_resume_bps !== undefined && p.volatility_pause_bps === undefined) {
        ctx.addIssue({ code: 'custom', path: ['volatility_resume_bps'], message: 'needs volatility_pause_bps (the level that starts the pause)' });
      }
      if (p.volatility_resume_bps !== undefined && p.volatility_pause_bps !== undefined && p.volatility_resume_bps >= p.volatility_pause_bps) {
        ctx.addIssue({ code: 'custom', path: ['volatility_resume_bps'], message: `expected below volatility_pause_bps (${p.volatility_pause_bps})` });
      }
    }),
);
export type StrategyParams = z.infer<typeof StrategyParams>;

/** The hygiene half of a strategy's params. */
export function hygieneOf(params: StrategyParams): HygieneParams {
  return HygieneParams.parse(Object.fromEntries(Object.entries(params).filter(([k]) => HYGIENE_KEYS.includes(k))));
}

/** The pricing model a strategy's params name. */
export function createModel(params: StrategyParams, instrument: Instrument): PricingModel {
  return createPricingModel(params, instrument);
}
