import { z } from 'zod';
import { CanonicalSymbol } from '../symbol.js';

/** One period's maker-yield figures (an hour, a UTC day or a UTC month). */
export const YieldPeriod = z.object({
  /** Start of the period, ms since the epoch (UTC). */
  start: z.number(),
  /** Seconds the tracker sampled in the period so far. */
  sampledSeconds: z.number().int().nonnegative(),
  /** Of those, seconds two-sided within the band of the mark. */
  upSeconds: z.number().int().nonnegative(),
  /** upSeconds / sampledSeconds · 100 (0 when nothing was sampled). */
  uptimePct: z.number().min(0).max(100),
  /** Maker hours: counted size / unit × each hour's multiplier, summed over the period's hours. */
  makerHours: z.number().nonnegative(),
  /** Distance-weighted maker hours (equal to makerHours under a rule set without weighting). */
  credit: z.number().nonnegative(),
});
export type YieldPeriod = z.infer<typeof YieldPeriod>;

export const YieldHour = YieldPeriod.extend({
  /** The multiplier the hour's up minutes earn so far (0, 0.5 or 1 under StandX's rules). */
  multiplier: z.number().nonnegative(),
  /** Mean counted size (base units) over the seconds that were up. */
  countedSize: z.number().nonnegative(),
  /** Mean distance-weighted counted size over the seconds that were up. */
  weightedSize: z.number().nonnegative(),
});
export type YieldHour = z.infer<typeof YieldHour>;

export const YieldMonth = YieldPeriod.extend({
  /** The fee tier the month's maker hours reach so far, or null. */
  tier: z.string().nullable(),
  /** Maker hours extrapolated to the whole month at the rate so far. */
  projectedMakerHours: z.number().nonnegative(),
  /** The tier the month is heading for, or null. */
  projectedTier: z.string().nullable(),
});
export type YieldMonth = z.infer<typeof YieldMonth>;

/** strategy.yield.<id>: a strategy's market-maker programme standing (StandX maker yield), at `ts`. */
export const StrategyYieldMessage = z.object({
  strategyId: z.string().min(1),
  venue: z.string().min(1),
  symbol: CanonicalSymbol,
  /** The programme's rule set ('sip5a', 'legacy'). */
  ruleSet: z.string().min(1),
  ts: z.number(),
  /** The last sampled second. */
  current: z.object({
    mark: z.number().positive().nullable(),
    twoSidedInBand: z.boolean(),
    /** Distance of the nearest in-band order from the mark per side, bps; null when none. */
    bidDistanceBps: z.number().nonnegative().nullable(),
    askDistanceBps: z.number().nonnegative().nullable(),
    countedSize: z.number().nonnegative(),
  }),
  hour: YieldHour,
  day: YieldPeriod,
  month: YieldMonth,
});
export type StrategyYieldMessage = z.infer<typeof StrategyYieldMessage>;
