import type { BacktestReport } from './backtest-report.js';

export const SWEEP_SCORES = ['pnl', 'sharpe', 'pnl-per-risk', 'yield'] as const;
export type SweepScore = (typeof SWEEP_SCORES)[number];

/** The number a sweep ranks by (higher is better). */
export function scoreOf(report: BacktestReport, score: SweepScore): number {
  const pnl = Number(report.pnl.total);
  switch (score) {
    case 'pnl':
      return pnl;
    case 'sharpe':
      return report.dailySharpe;
    case 'pnl-per-risk':
      // PnL per unit of inventory risk: total PnL ÷ the inventory's standard deviation (base units).
      return pnl / Math.max(report.inventory.std, 1e-9);
    case 'yield':
      return report.makerYield.makerHours;
  }
}

export interface RankedRun {
  rank: number;
  params: Record<string, number | string>;
  score: number;
  report: BacktestReport;
}

/** Best first; equal scores keep the grid's order, so the same runs always rank the same. */
export function rankRuns(runs: ReadonlyArray<{ params: Record<string, number | string>; report: BacktestReport }>, score: SweepScore): RankedRun[] {
  return runs
    .map((r, i) => ({ ...r, i, score: scoreOf(r.report, score) }))
    .sort((a, b) => (b.score === a.score ? a.i - b.i : Number.isNaN(a.score) ? 1 : Number.isNaN(b.score) ? -1 : b.score - a.score))
    .map(({ i: _i, ...r }, k) => ({ rank: k + 1, ...r }));
}
