import type { ArbOpportunityMessage, ArbStatsMessage, BboMessage, VenueStatusMessage } from '@perpetua/core';

export interface VenueQuote {
  bid?: number;
  ask?: number;
  stale: boolean;
  ts: number;
}

/**
 * What the monitor shows, accumulated from the bus: the top of book per venue
 * and symbol, the open opportunities, the detector's statistics and each
 * venue's status. No I/O; the renderer reads it.
 */
export class MonitorState {
  readonly quotes = new Map<string, Map<string, VenueQuote>>();
  readonly open = new Map<string, ArbOpportunityMessage>();
  readonly status = new Map<string, VenueStatusMessage>();
  stats: ArbStatsMessage | undefined;
  bboUpdates = 0;
  opened = 0;
  closed = 0;

  onBbo(b: BboMessage): void {
    this.bboUpdates++;
    let bySymbol = this.quotes.get(b.symbol);
    if (!bySymbol) {
      bySymbol = new Map();
      this.quotes.set(b.symbol, bySymbol);
    }
    bySymbol.set(b.venue, { bid: b.bid?.[0], ask: b.ask?.[0], stale: b.stale, ts: b.tsPublished });
  }

  onOpportunity(o: ArbOpportunityMessage): void {
    const key = `${o.symbol}|${o.buyVenue}|${o.sellVenue}`;
    if (o.event === 'closed') {
      this.open.delete(key);
      this.closed++;
      return;
    }
    if (o.event === 'opened') this.opened++;
    this.open.set(key, o);
  }

  onStats(s: ArbStatsMessage): void {
    this.stats = s;
  }

  onStatus(s: VenueStatusMessage): void {
    this.status.set(s.venue, s);
  }
}
