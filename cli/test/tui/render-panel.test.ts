import { describe, expect, it } from 'vitest';
import { PANEL_LABELS, formatDuration, renderPanel } from '../../src/tui/render-panel.js';
import { strategyFigures, type StrategyView } from '@perpetua/service-dashboard';

const view: StrategyView = {
  id: 'mm-btc',
  venue: 'standx',
  account: 'demo',
  symbol: 'BTC-PERP',
  quotes: [],
  quoteMid: 100_000,
  ts: 1_700_000_000_000,
  stats: {
    strategy: 'mm-btc',
    runningSec: 3723,
    realizedPnl: 12.5,
    unrealizedPnl: -2.25,
    totalPnl: 9.75,
    position: 0.012,
    volumeQuote: 25_000,
    turnoverPerHour: 3.5,
    fillRate: 0.125,
    quotedSpreadBps: 4.2,
    avgCapturedSpreadBps: 1.1,
    paused: false,
    model: { operator_paused: 1 },
  },
  yield: { day: { uptimePct: 97.5 }, month: { makerHours: 12.25, credit: 10, tier: null, projectedTier: 'Tier 2' } },
};

describe('renderPanel', () => {
  it('shows every figure of the panel for each strategy, then venues and opportunities', () => {
    const lines = renderPanel({
      now: 1_700_000_100_000,
      startedAt: 1_700_000_000_000,
      strategies: [strategyFigures(view)],
      venues: [{ venue: 'standx', state: 'connected', staleSymbols: [], messagesPerSec: 12.3, bookAgeMs: 40, latencyMs: 3, since: 0 }],
      arb: {
        open: [
          {
            event: 'opened', symbol: 'BTC-PERP', buyVenue: 'bybit', sellVenue: 'grvt', buyPrice: 100, sellPrice: 101, buyVwap: 100, sellVwap: 101, qty: 0.5, grossEdge: 0.01, netEdge: 0.008, netProfit: 0.4,
            peakEdge: 0.008, openedAt: 0, durationMs: 10, ts: 0, triggerVenue: 'bybit', triggerSeq: 1, tsExchange: 0, tsReceived: 0,
          },
        ],
        recent: [],
        stats: null,
        openedTotal: 3,
      },
      halted: false,
    });
    const text = lines.join('\n');
    for (const label of PANEL_LABELS) expect(text).toContain(label);
    for (const figure of ['01:02:03', '+12.50', '-2.25', '+9.75', '0.0120', '25000.00', '3.50x', '12.5%', '4.20 bps', '97.5%', 'Tier 2', '12.25 h', '[paused]']) expect(text).toContain(figure);
    expect(text).toContain('standx');
    expect(text).toContain('12.3 msg/s');
    expect(text).toMatch(/BTC-PERP\s+buy bybit 100 -> sell grvt 101/);
    expect(text).toContain('0.800%');
  });

  it('cuts lines to the width and shows a dash for figures not reported yet', () => {
    const lines = renderPanel({ now: 0, startedAt: 0, strategies: [strategyFigures({ ...view, stats: null, yield: null })], venues: [], arb: { open: [], recent: [], stats: null, openedTotal: 0 }, halted: true, haltReason: 'test', width: 40 });
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(lines.join('\n')).toContain('KILL SWITCH ON');
  });

  it('formats durations over a day', () => {
    expect(formatDuration(90_061)).toBe('1d 01:01:01');
    expect(formatDuration(null)).toBe('-');
  });
});
