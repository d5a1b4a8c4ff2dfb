import type { ArbView, VenueView } from '@perpetua/service-dashboard';
import type { StrategyFigures } from '@perpetua/service-dashboard';

export interface PanelInput {
  now: number;
  startedAt: number;
  strategies: StrategyFigures[];
  venues: VenueView[];
  arb: ArbView;
  halted: boolean;
  haltReason?: string | undefined;
  /** Characters per line; lines are cut to it. */
  width?: number;
}

/** The labels every strategy block shows, in order (the terminal test checks each). */
export const PANEL_LABELS = ['Runtime', 'Realized PnL', 'Unrealized PnL', 'Total PnL', 'Position', 'Volume', 'Turnover', 'Fill rate', 'Avg spread', 'Uptime', 'Tier', 'Maker hours'] as const;

const dash = '-';
const fixed = (v: number | null, digits: number, suffix = ''): string => (v === null ? dash : `${v.toFixed(digits)}${suffix}`);
const signed = (v: number | null): string => (v === null ? dash : `${v >= 0 ? '+' : ''}${v.toFixed(2)}`);

export function formatDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec) || sec < 0) return dash;
  const s = Math.floor(sec);
  const d = Math.floor(s / 86_400);
  const hms = [Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return d > 0 ? `${d}d ${hms}` : hms;
}

function cell(label: string, value: string): string {
  return `${label.padEnd(15)}${value.padStart(12)}`;
}

/**
 * The terminal dashboard, as lines: per strategy the original bot's panel
 * (runtime, realized / unrealized / total PnL, position, volume, inventory
 * turnover, fill rate, average spread, uptime %, tier, maker hours), then the
 * venues and the open opportunities. Pure: the caller decides how to draw.
 */
export function renderPanel(p: PanelInput): string[] {
  const width = p.width ?? 100;
  const lines: string[] = [];
  // The kill switch first: on a narrow terminal it is the part that must not be cut.
  lines.push(`PERPETUA  ${p.halted ? `KILL SWITCH ON${p.haltReason ? ` (${p.haltReason})` : ''}` : 'trading allowed'}  up ${formatDuration((p.now - p.startedAt) / 1000)}  ${new Date(p.now).toISOString().slice(11, 19)} UTC`);
  lines.push('');
  if (p.strategies.length === 0) lines.push('Strategies: none reporting yet');
  for (const s of p.strategies) {
    const state = s.paused === null ? '' : s.paused ? '  [paused]' : '  [running]';
    lines.push(`== ${s.id}  ${s.venue} ${s.symbol}${state}`);
    const [runtime, realized, unrealized, total, position, volume, turnover, fillRate, spread, uptime, tier, maker] = PANEL_LABELS;
    lines.push(`  ${cell(runtime, formatDuration(s.runtimeSec))}   ${cell(position, fixed(s.position, 4))}   ${cell(volume, fixed(s.volume, 2))}`);
    lines.push(`  ${cell(realized, signed(s.realizedPnl))}   ${cell(unrealized, signed(s.unrealizedPnl))}   ${cell(total, signed(s.totalPnl))}`);
    lines.push(`  ${cell(turnover, fixed(s.turnover, 2, 'x'))}   ${cell(fillRate, fixed(s.fillRate === null ? null : s.fillRate * 100, 1, '%'))}   ${cell(spread, fixed(s.avgSpreadBps, 2, ' bps'))}`);
    lines.push(`  ${cell(uptime, fixed(s.uptimePct, 1, '%'))}   ${cell(tier, s.tier ?? dash)}   ${cell(maker, fixed(s.makerHours, 2, ' h'))}`);
    lines.push('');
  }
  lines.push('== Venues');
  if (p.venues.length === 0) lines.push('  none yet');
  for (const v of p.venues) {
    lines.push(
      `  ${v.venue.padEnd(14)}${v.state.padEnd(11)}${`${v.messagesPerSec.toFixed(1)} msg/s`.padStart(12)}${`age ${v.bookAgeMs === null ? dash : `${v.bookAgeMs} ms`}`.padStart(14)}${v.reason ? `  ${v.reason}` : ''}`,
    );
  }
  lines.push('');
  lines.push(`== Opportunities: ${p.arb.open.length} open, ${p.arb.openedTotal} seen`);
  for (const o of p.arb.open.slice(0, 8)) {
    lines.push(`  ${o.symbol.padEnd(10)} buy ${o.buyVenue} ${o.buyPrice} -> sell ${o.sellVenue} ${o.sellPrice}  qty ${o.qty}  net ${(o.netEdge * 100).toFixed(3)}%  ${o.netProfit.toFixed(2)}`);
  }
  return lines.map((l) => (l.length > width ? l.slice(0, width) : l));
}
