import type { ArbOpportunityMessage, ArbStatsMessage, ControlAuditMessage, Fill, VenueState } from '@perpetua/core';

/**
 * What the dashboard pushes, one topic per kind of data. The server serializes
 * each changed topic once per push interval and every client gets the latest
 * (a slow client skips intermediate values, never queues them).
 */
export const TOPICS = ['meta', 'venues', 'markets', 'arb', 'risk', 'positions', 'fills', 'strategies', 'audit'] as const;
export type Topic = (typeof TOPICS)[number];

export interface MetaView {
  startedAt: number;
  now: number;
  /** Market-data messages seen since this replica started. */
  updates: number;
  updatesPerSec: number;
}

export interface VenueView {
  venue: string;
  state: VenueState | 'unknown';
  reason?: string;
  staleSymbols: string[];
  /** Book and BBO messages per second over the last 10 s. */
  messagesPerSec: number;
  /** Since the newest book of any symbol (ms). */
  bookAgeMs: number | null;
  /** Exchange → gateway receive time of the newest book (ms), when the venue stamps its messages. */
  latencyMs: number | null;
  since: number;
}

export interface MarketView {
  venue: string;
  symbol: string;
  bid: number | null;
  ask: number | null;
  bidSize: number | null;
  askSize: number | null;
  mid: number | null;
  spreadPct: number | null;
  /** Base quantity within the published levels, per side. */
  bidDepth: number;
  askDepth: number;
  bids: [number, number][];
  asks: [number, number][];
  stale: boolean;
  ageMs: number;
}

export interface ArbView {
  open: ArbOpportunityMessage[];
  recent: ArbOpportunityMessage[];
  stats: ArbStatsMessage | null;
  openedTotal: number;
}

export interface RiskView {
  halted: boolean;
  reason?: string;
  limits: Record<string, number>;
  usage: Record<string, number>;
  rejects: Record<string, number>;
  ts: number;
  known: boolean;
}

export interface PositionView {
  venue: string;
  account: string;
  symbol: string;
  qty: string;
  avgEntry: string;
  realizedPnl: string;
  fees: string;
  funding: string;
  fills: number;
  /** Display only: qty × (mid − avgEntry) at this venue's latest mid. */
  unrealizedPnl: number | null;
  mark: number | null;
  ts: number;
}

export interface FillsView {
  recent: Fill[];
}

/** A strategy as its runtime reports it (strategy.stats / strategy.yield), plus what the dashboard knows. */
export interface StrategyView {
  id: string;
  venue: string | null;
  account: string | null;
  symbol: string | null;
  /** The quotes it last asked for (intent.quote), at the mid it saw. */
  quotes: { side: 'buy' | 'sell'; price: string; qty: string }[];
  quoteMid: number | null;
  stats: Record<string, unknown> | null;
  yield: Record<string, unknown> | null;
  ts: number;
}

export interface AuditView {
  entries: ControlAuditMessage[];
}

export interface TopicViews {
  meta: MetaView;
  venues: VenueView[];
  markets: MarketView[];
  arb: ArbView;
  risk: RiskView;
  positions: PositionView[];
  fills: FillsView;
  strategies: StrategyView[];
  audit: AuditView;
}

/** One WebSocket frame from the server. */
export type ServerFrame = { type: 'topic'; topic: Topic; data: unknown } | { type: 'hello'; pushIntervalMs: number };
