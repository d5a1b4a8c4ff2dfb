import { MakerYieldRuleSet } from '../rule-set.js';

/**
 * The older StandX Market Maker Uptime Program: min(bid, ask) size within
 * 10 bps of the mark, capped at 2 BTC (BTC-USD only; other symbols from
 * config); maker hours = counted size / 2 × the hour's multiplier (≥ 30 min
 * 0.5x, ≥ 42 min 1.0x); no distance weighting; a monthly pool; ≥ 360 h in a
 * month gives MM1, > 504 h MM2 for the next month.
 */
export const legacy: MakerYieldRuleSet = MakerYieldRuleSet.parse({
  name: 'legacy',
  bandBps: 10,
  distanceWeight: [
    [0, 1],
    [10, 1],
  ],
  symbols: { BTC: { unit: 2, cap: 2 } },
  uptime: [
    { minMinutes: 30, multiplier: 0.5 },
    { minMinutes: 42, multiplier: 1 },
  ],
  tiers: [
    { name: 'MM1', minHours: 360, inclusive: true },
    { name: 'MM2', minHours: 504, inclusive: false },
  ],
  settlement: 'month',
});
