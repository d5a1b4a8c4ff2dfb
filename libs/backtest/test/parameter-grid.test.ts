import { describe, expect, it } from 'vitest';
import { gridCombinations, parseGrid, rankRuns, type BacktestReport } from '../src/index.js';

describe('sweep grid and ranking', () => {
  it('parses the grid, numbers as numbers, and builds every combination in order', () => {
    const axes = parseGrid('risk_factor=0.05,0.1,0.5;order_levels=1,3');
    expect(axes).toEqual([
      { key: 'risk_factor', values: [0.05, 0.1, 0.5] },
      { key: 'order_levels', values: [1, 3] },
    ]);
    expect(gridCombinations(axes)).toHaveLength(6);
    expect(gridCombinations(axes)[1]).toEqual({ risk_factor: 0.05, order_levels: 3 });
    expect(() => parseGrid('x')).toThrow(/key=v1/);
    expect(() => parseGrid('a=1;a=2')).toThrow(/twice/);
  });

  it('ranks best first and keeps the grid order on ties', () => {
    const rep = (total: string, std: number): BacktestReport => ({ pnl: { total }, inventory: { std }, dailySharpe: 0, makerYield: { makerHours: 0 } }) as unknown as BacktestReport;
    const runs = [
      { params: { a: 1 }, report: rep('5', 1) },
      { params: { a: 2 }, report: rep('9', 9) },
      { params: { a: 3 }, report: rep('5', 0.5) },
    ];
    expect(rankRuns(runs, 'pnl').map((r) => r.params.a)).toEqual([2, 1, 3]);
    expect(rankRuns(runs, 'pnl-per-risk').map((r) => r.params.a)).toEqual([3, 1, 2]);
  });
});
