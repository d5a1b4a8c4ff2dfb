import { z } from 'zod';

/**
 * Quote hygiene every strategy gets, under Hummingbot's names where it has
 * them (units differ where noted: spreads here are basis points). Defaults
 * reproduce a plain one-level, always-fresh market maker.
 */
export const HygieneShape = {
  /** Quotes per side. */
  order_levels: z.number().int().min(1).max(20).default(1),
  /** Distance between consecutive levels, bps of the level-0 price. */
  order_level_spread: z.number().min(0).max(10_000).default(10),
  /** Size added per level (base units): level i = level-0 size + i × this. */
  order_level_amount: z.number().min(0).default(0),
  /** Least seconds between requotes for a price move (0 = on every move beyond the tolerance; a structural change, a model veto or a stale book acts at once). */
  order_refresh_time: z.number().min(0).max(86_400).default(0),
  /** A wanted price within this percent of the resting one keeps the resting order. */
  order_refresh_tolerance_pct: z.number().min(0).max(100).default(0),
  /** Seconds after which a resting order is replaced however good its price (0 = never). */
  max_order_age: z.number().min(0).max(7 * 86_400).default(1800),
  /** Seconds a side stays unquoted after one of its orders filled (0 = re-quote at once). */
  filled_order_delay: z.number().min(0).max(86_400).default(0),
  /** No quote (and no resting order) closer to the mid than this, bps (0 = off). */
  minimum_spread: z.number().min(0).max(10_000).default(0),
  /** Pull every quote while the mid's volatility (stddev of 1 s returns, bps) is above this; unset = never. */
  volatility_pause_bps: z.number().positive().optional(),
  /** Resume once it is back below this (bps; below the pause level, so a pause does not flicker). */
  volatility_resume_bps: z.number().positive().optional(),
  /** Seconds of 1 s mid returns the pause's volatility is measured over (the models' own σ has volatility_window). */
  volatility_pause_window: z.number().int().min(5).max(3600).default(60),
  /**
   * A quote that moves is placed under a fresh slot name, so the router places the new order while it
   * cancels the old one (in parallel) instead of after: no gap in the side, at the cost of both resting for
   * a moment (both may fill). For uptime (maker-yield); off by default.
   */
  make_before_break: z.boolean().default(false),
  /** Largest |position| a wanted set may lead to if every same-side quote filled (base units); unset = the risk limit maxPosition. */
  max_position: z.number().positive().optional(),
} as const;

export const HygieneParams = z.object(HygieneShape);
export type HygieneParams = z.infer<typeof HygieneParams>;
export const HYGIENE_KEYS: readonly string[] = Object.keys(HygieneShape);
