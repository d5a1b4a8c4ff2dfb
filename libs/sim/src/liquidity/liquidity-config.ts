import type { SimLiquidityConfig } from '../engine/types.js';

/**
 * Defaults: a 1 bp wide top of book, 30 levels a side 1 bp apart, ~$50k per level near the top growing with depth,
 * and a few taker orders per second that mostly hit the top level and sometimes sweep deeper.
 */
export const DEFAULT_LIQUIDITY: Readonly<SimLiquidityConfig> = {
  levels: 30,
  firstLevelBps: 0.5,
  levelSpacingBps: 1,
  levelNotional: 50_000,
  depthGrowth: 1.08,
  refreshPerStep: 2,
  takerRatePerSec: 4,
  sweepContinue: 0.5,
};
