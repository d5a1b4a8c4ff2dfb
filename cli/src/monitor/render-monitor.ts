import type { MonitorState } from './monitor-state.js';

export interface RenderOptions {
  /** Only opportunities whose net edge is at least this (percent). */
  minProfitPct: number;
  /** Symbols to show (all when empty). */
  symbols: readonly string[];
  now: number;
  startedAt: number;
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

const px = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(x >= 1000 ? 1 : x >= 1 ? 3 : 6));

/**
 * The monitor screen as lines: per symbol the venues' bid, ask and spread, the
 * current opportunities (buy venue/price, sell venue/price, size, profit in
 * quote and percent, max qty), then a statistics block. Pure: the same state
 * renders the same lines, on a terminal or as plain output.
 */
export function renderMonitor(state: MonitorState, o: RenderOptions): string[] {
  const out: string[] = [];
  const symbols = [...state.quotes.keys()].filter((s) => o.symbols.length === 0 || o.symbols.includes(s)).sort();
  out.push(`perpetua monitor  ${new Date(o.now).toISOString().slice(11, 19)} UTC  up ${Math.round((o.now - o.startedAt) / 1000)} s  min profit ${o.minProfitPct}%`);
  for (const symbol of symbols) {
    out.push('', `== ${symbol} ==`);
    const venues = [...state.quotes.get(symbol)!.entries()].sort(([a], [b]) => a.localeCompare(b));
    out.push(
      ...table(
        ['venue', 'bid', 'ask', 'spread %', 'status'],
        venues.map(([venue, q]) => {
          const spread = q.bid !== undefined && q.ask !== undefined ? (((q.ask - q.bid) / ((q.ask + q.bid) / 2)) * 100).toFixed(4) : '-';
          return [venue, px(q.bid), px(q.ask), spread, q.stale ? 'STALE' : (state.status.get(venue)?.state ?? '-')];
        }),
      ),
    );
    const opps = [...state.open.values()].filter((x) => x.symbol === symbol && x.netEdge * 100 >= o.minProfitPct).sort((a, b) => b.netEdge - a.netEdge);
    if (opps.length === 0) out.push('', 'opportunities: none');
    else
      out.push(
        '',
        'opportunities:',
        ...table(
          ['buy @ venue', 'price', 'size', 'sell @ venue', 'price', 'size', 'profit $', 'profit %', 'max qty', 'open s'],
          opps.map((x) => [
            x.buyVenue,
            px(x.buyPrice),
            x.qty.toFixed(4),
            x.sellVenue,
            px(x.sellPrice),
            x.qty.toFixed(4),
            x.netProfit.toFixed(2),
            (x.netEdge * 100).toFixed(4),
            x.qty.toFixed(4),
            ((o.now - x.openedAt) / 1000).toFixed(1),
          ]),
        ),
      );
  }
  const s = state.stats;
  const failures = s ? Object.values(s.failures).reduce((a, b) => a + b, 0) : 0;
  const counted = new Map<string, number>();
  for (const byVenue of state.quotes.values()) for (const v of byVenue.keys()) counted.set(v, (counted.get(v) ?? 0) + 1);
  const perVenue = s
    ? Object.entries(s.venues).map(([v, st]) => `${v} ${st.symbols} (${st.unusableSymbols} unusable)`).join(', ')
    : [...counted].sort(([a], [b]) => a.localeCompare(b)).map(([v, n]) => `${v} ${n}`).join(', ') || '-';
  const staleVenues = [...state.status.values()].filter((st) => st.state !== 'connected').map((st) => `${st.venue}: ${st.state}`);
  out.push(
    '',
    '-- statistics --',
    `book updates: ${s?.updates ?? state.bboUpdates}   opportunities found: ${s?.opened ?? state.opened}   open now: ${state.open.size}   closed: ${s?.closed ?? state.closed}`,
    `symbols per venue: ${perVenue}`,
    `failures: ${failures}   stale books closed: ${s?.staleCloses ?? 0}   venues not connected: ${staleVenues.length ? staleVenues.join(', ') : 'none'}`,
  );
  if (s?.evaluateMicros) out.push(`detector: ${s.evaluateMicros.mean.toFixed(1)} µs mean, ${s.evaluateMicros.max.toFixed(1)} µs max per update`);
  return out;
}
