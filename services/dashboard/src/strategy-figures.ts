import type { PositionView, StrategyView } from './live-views.js';

/** The original bot's panel, per strategy: every figure it shows (null when not reported yet). */
export interface StrategyFigures {
  id: string;
  venue: string;
  symbol: string;
  paused: boolean | null;
  runtimeSec: number | null;
  realizedPnl: number | null;
  unrealizedPnl: number | null;
  totalPnl: number | null;
  position: number | null;
  volume: number | null;
  turnover: number | null;
  fillRate: number | null;
  avgSpreadBps: number | null;
  capturedSpreadBps: number | null;
  makerCredit: number | null;
  uptimePct: number | null;
  tier: string | null;
  makerHours: number | null;
}

const num = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/**
 * Figures from what the strategy runtime reports (strategy.stats and
 * strategy.yield); a strategy that has reported nothing yet is shown from its
 * booked position alone.
 */
export function strategyFigures(s: StrategyView): StrategyFigures {
  const st: Record<string, unknown> = s.stats ?? {};
  const y = s.yield ?? {};
  const realized = num(st.realizedPnl);
  const unrealized = num(st.unrealizedPnl);
  return {
    id: s.id,
    venue: str(st.venue) ?? s.venue ?? '',
    symbol: str(st.symbol) ?? s.symbol ?? '',
    paused: isPaused(s.stats),
    runtimeSec: num(st.runningSec),
    realizedPnl: realized,
    unrealizedPnl: unrealized,
    totalPnl: num(st.totalPnl) ?? (realized !== null && unrealized !== null ? realized + unrealized : null),
    position: num(st.position),
    volume: num(st.volumeQuote),
    turnover: num(st.turnoverPerHour),
    fillRate: num(st.fillRate),
    avgSpreadBps: num(st.quotedSpreadBps),
    capturedSpreadBps: num(st.avgCapturedSpreadBps),
    makerCredit: num(field(y, 'month', 'credit')),
    // Maker-programme standing (strategy.yield): today's uptime, the month's maker hours, credit and where its tier is heading.
    uptimePct: num(field(y, 'day', 'uptimePct')),
    tier: str(field(y, 'month', 'projectedTier')) ?? str(field(y, 'month', 'tier')),
    makerHours: num(field(y, 'month', 'makerHours')),
  };
}

function field(o: Record<string, unknown>, period: string, key: string): unknown {
  const p = o[period];
  return typeof p === 'object' && p !== null ? (p as Record<string, unknown>)[key] : undefined;
}

/** Paused by the operator (the model reports it) or by the volatility pause; null before any report. */
export function isPaused(stats: Record<string, unknown> | null): boolean | null {
  if (stats === null || typeof stats.paused !== 'boolean') return null;
  const model = stats.model as Record<string, unknown> | undefined;
  return stats.paused || model?.operator_paused === 1;
}

/** Before a strategy reports, its account's positions stand in for it (PnL and position only). */
export function positionFigures(p: PositionView): StrategyFigures {
  const realized = Number(p.realizedPnl) - Number(p.fees) - Number(p.funding);
  const unrealized = p.unrealizedPnl;
  return {
    id: `${p.account}`,
    venue: p.venue,
    symbol: p.symbol,
    paused: null,
    runtimeSec: null,
    realizedPnl: realized,
    unrealizedPnl: unrealized,
    totalPnl: unrealized === null ? realized : realized + unrealized,
    position: Number(p.qty),
    volume: null,
    turnover: null,
    fillRate: null,
    avgSpreadBps: null,
    capturedSpreadBps: null,
    makerCredit: null,
    uptimePct: null,
    tier: null,
    makerHours: null,
  };
}
