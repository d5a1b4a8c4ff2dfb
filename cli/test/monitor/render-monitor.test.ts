import { describe, expect, it } from 'vitest';
import type { ArbOpportunityMessage } from '@perpetua/core';
import { MonitorState } from '../../src/monitor/monitor-state.js';
import { renderMonitor } from '../../src/monitor/render-monitor.js';

const opp = (over: Partial<ArbOpportunityMessage>): ArbOpportunityMessage => ({
  event: 'opened',
  symbol: 'BTC-PERP',
  buyVenue: 'a',
  sellVenue: 'b',
  buyPrice: 100,
  sellPrice: 101,
  buyVwap: 100,
  sellVwap: 101,
  qty: 2,
  grossEdge: 0.01,
  netEdge: 0.0092,
  netProfit: 1.84,
  peakEdge: 0.0092,
  openedAt: 1_000,
  durationMs: 0,
  ts: 1_000,
  triggerVenue: 'b',
  triggerSeq: 1,
  tsExchange: 1_000,
  tsReceived: 1_000,
  ...over,
});

function state(): MonitorState {
  const s = new MonitorState();
  s.onBbo({ venue: 'a', symbol: 'BTC-PERP', seq: 1, bid: [99.5, 1], ask: [100, 2], tsExchange: 1, tsReceived: 1, tsPublished: 1, stale: false });
  s.onBbo({ venue: 'b', symbol: 'BTC-PERP', seq: 1, bid: [101, 3], ask: [101.5, 1], tsExchange: 1, tsReceived: 1, tsPublished: 1, stale: false });
  s.onBbo({ venue: 'a', symbol: 'ETH-PERP', seq: 1, bid: null, ask: [3000, 1], tsExchange: 1, tsReceived: 1, tsPublished: 1, stale: true });
  s.onStatus({ venue: 'a', state: 'connected', staleSymbols: [], ts: 1 });
  s.onStatus({ venue: 'b', state: 'stale', staleSymbols: ['BTC-PERP'], ts: 1 });
  return s;
}

describe('renderMonitor', () => {
  it('shows each symbol with every venue bid/ask/spread/status, the opportunities and a statistics block', () => {
    const s = state();
    s.onOpportunity(opp({}));
    const text = renderMonitor(s, { minProfitPct: 0.1, symbols: [], now: 3_000, startedAt: 0 }).join('\n');
    expect(text).toContain('== BTC-PERP ==');
    expect(text).toContain('== ETH-PERP ==');
    expect(text).toMatch(/a\s+99\.500\s+100\.000\s+0\.5013\s+connected/);
    expect(text).toMatch(/b\s+101\.000\s+101\.500\s+0\.4938\s+stale/);
    expect(text).toMatch(/a\s+-\s+3000\.0\s+-\s+STALE/);
    expect(text).toMatch(/a\s+100\.000\s+2\.0000\s+b\s+101\.000\s+2\.0000\s+1\.84\s+0\.9200\s+2\.0000\s+2\.0/);
    expect(text).toContain('-- statistics --');
    expect(text).toContain('opportunities found: 1');
    expect(text).toContain('venues not connected: b: stale');
  });

  it('filters opportunities below the minimum profit and symbols not asked for, and forgets closed ones', () => {
    const s = state();
    s.onOpportunity(opp({ netEdge: 0.0005 }));
    expect(renderMonitor(s, { minProfitPct: 0.1, symbols: [], now: 0, startedAt: 0 }).join('\n')).toContain('opportunities: none');
    s.onOpportunity(opp({ event: 'updated' }));
    expect(renderMonitor(s, { minProfitPct: 0.1, symbols: ['ETH-PERP'], now: 0, startedAt: 0 }).join('\n')).not.toContain('BTC-PERP');
    s.onOpportunity(opp({ event: 'closed', reason: 'edge_gone' }));
    expect(s.open.size).toBe(0);
  });
});
