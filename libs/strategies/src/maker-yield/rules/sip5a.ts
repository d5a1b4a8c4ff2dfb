import { MakerYieldRuleSet } from '../rule-set.js';

/**
 * StandX Community Maker Yield (SIP-5A, since July 2026), the default. From
 * StandX's programme pages as summarised in the project's venue notes:
 * two-sided within 10 bps of the mark; credit weighted 200% at 0 bps, 80% at
 * 5, 40% at 10, linear between; size in units per side up to a cap; an hour
 * two-sided for ≥ 30 min earns 0.5x, ≥ 42 min 1.0x; settled per UTC day;
 * fee tiers by monthly maker hours.
 */
export const sip5a: MakerYieldRuleSet = MakerYieldRuleSet.parse({
  name: 'sip5a',
  bandBps: 10,
  distanceWeight: [
    [0, 2],
    [5, 0.8],
    [10, 0.4],
  ],
  symbols: {
    BTC: { unit: 2, cap: 20 },
    ETH: { unit: 60, cap: 600 },
    SOL: { unit: 1500, cap: 15_000 },
    XAU: { unit: 30, cap: 60 },
  },
  uptime: [
    { minMinutes: 30, multiplier: 0.5 },
    { minMinutes: 42, multiplier: 1 },
  ],
  tiers: [
    { name: 'MM0', minHours: 250, inclusive: true },
    { name: 'MM1', minHours: 360, inclusive: true },
    { name: 'MM2', minHours: 504, inclusive: false },
  ],
  settlement: 'day',
});
