import { z } from 'zod';

/** How much of one symbol counts: size in units, up to a cap per side (base units). */
export const YieldAllowance = z.object({
  unit: z.number().positive().finite(),
  cap: z.number().positive().finite(),
});
export type YieldAllowance = z.infer<typeof YieldAllowance>;

/**
 * A market-maker programme's rules, as data. The tracker and the maker-yield
 * model read only this, so a change of the programme is a change of data.
 */
export const MakerYieldRuleSet = z.object({
  name: z.string().min(1),
  /** Orders count only within this distance of the mark, bps. */
  bandBps: z.number().positive().max(1000),
  /**
   * Credit weight by distance from the mark, as [bps, weight] points, linear
   * between them; nothing beyond the last point. A flat [[0,1],[band,1]] is
   * "no weighting".
   */
  distanceWeight: z
    .array(z.tuple([z.number().nonnegative(), z.number().nonnegative()]))
    .min(1)
    .refine((pts) => pts.every((p, i) => i === 0 || p[0] > pts[i - 1]![0]), 'distance points must increase'),
  /** Units and caps per side by base asset (BTC, ETH…); other symbols take theirs from config. */
  symbols: z.record(z.string(), YieldAllowance),
  /** Per-hour multiplier by minutes two-sided in band, ascending: the highest reached applies, none = 0. */
  uptime: z.array(z.object({ minMinutes: z.number().nonnegative().max(60), multiplier: z.number().nonnegative() })).min(1),
  /** Fee tiers by monthly maker hours, ascending; `inclusive` false means strictly above. */
  tiers: z.array(z.object({ name: z.string().min(1), minHours: z.number().nonnegative(), inclusive: z.boolean() })),
  /** The period each payout is settled over. */
  settlement: z.enum(['day', 'month']),
});
export type MakerYieldRuleSet = z.infer<typeof MakerYieldRuleSet>;

/** The credit weight at `bps` from the mark (0 beyond the last point). */
export function distanceWeight(rules: MakerYieldRuleSet, bps: number): number {
  const pts = rules.distanceWeight;
  const last = pts[pts.length - 1]!;
  if (bps > last[0] + 1e-9 || bps > rules.bandBps + 1e-9) return 0;
  if (bps <= pts[0]![0]) return pts[0]![1];
  for (let i = 1; i < pts.length; i++) {
    const [x1, y1] = pts[i]!;
    if (bps <= x1) {
      const [x0, y0] = pts[i - 1]!;
      return y0 + ((y1 - y0) * (bps - x0)) / (x1 - x0);
    }
  }
  return last[1];
}

/** The multiplier an hour earns with `upMinutes` two-sided in band. */
export function uptimeMultiplier(rules: MakerYieldRuleSet, upMinutes: number): number {
  let m = 0;
  for (const step of rules.uptime) if (upMinutes >= step.minMinutes) m = step.multiplier;
  return m;
}

/** The highest tier `hours` reaches, or null. */
export function tierFor(rules: MakerYieldRuleSet, hours: number): string | null {
  let tier: string | null = null;
  for (const t of rules.tiers) if (t.inclusive ? hours >= t.minHours : hours > t.minHours) tier = t.name;
  return tier;
}

/** The allowance for a base asset: the configured override, else the rule set's, else undefined (not counted). */
export function allowanceFor(rules: MakerYieldRuleSet, base: string, override?: Partial<YieldAllowance>): YieldAllowance | undefined {
  const own = rules.symbols[base.toUpperCase()];
  const unit = override?.unit ?? own?.unit;
  const cap = override?.cap ?? own?.cap;
  return unit !== undefined && cap !== undefined ? { unit, cap } : undefined;
}
