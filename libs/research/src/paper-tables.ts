import type { StrategyOutcome } from './avellaneda-stoikov-experiment.js';

/**
 * Avellaneda & Stoikov (2008), Quantitative Finance 8(3) 217–224, Tables 1–3
 * (1000 simulations each): average spread, profit mean and standard
 * deviation, final inventory mean and standard deviation, for the inventory
 * strategy and the symmetric one.
 */
export const PAPER_TABLES: Readonly<Record<'0.1' | '0.01' | '0.5', { inventory: StrategyOutcome; symmetric: StrategyOutcome }>> = {
  '0.1': {
    inventory: { spread: 1.29, profitMean: 62.94, profitStd: 5.89, qMean: 0.1, qStd: 2.8 },
    symmetric: { spread: 1.29, profitMean: 67.21, profitStd: 13.43, qMean: -0.018, qStd: 8.66 },
  },
  '0.01': {
    inventory: { spread: 1.33, profitMean: 66.78, profitStd: 8.76, qMean: -0.02, qStd: 4.7 },
    symmetric: { spread: 1.33, profitMean: 67.36, profitStd: 13.4, qMean: -0.31, qStd: 8.65 },
  },
  '0.5': {
    inventory: { spread: 1.15, profitMean: 33.92, profitStd: 4.72, qMean: -0.02, qStd: 1.88 },
    symmetric: { spread: 1.15, profitMean: 66.2, profitStd: 14.53, qMean: 0.25, qStd: 9.06 },
  },
};
export const PAPER_PATHS = 1000;
