import type { ArbOpportunityMessage } from '@perpetua/core';
import type { Bus } from '@perpetua/bus';

/**
 * Where published opportunity events are kept for late readers. The seam for the
 * Redis capped stream that comes later: implement this and pass it in the deps.
 */
export interface OpportunityHistory {
  record(event: ArbOpportunityMessage): void;
  /** The last events, oldest first. */
  recent(): readonly ArbOpportunityMessage[];
}

/** Last-value bucket: the latest event per (symbol, buy venue, sell venue). */
export const ARB_LAST_BUCKET = 'arb-opportunity-last';

export const arbLastKey = (symbol: string, buyVenue: string, sellVenue: string): string => `${symbol}.${buyVenue}.${sellVenue}`;

/**
 * The default history: the last N events in memory, and the latest event of each
 * pair in the bus's last-value store, so a late reader sees which pairs are open
 * (an event other than `closed`). Writes are fire-and-forget, off the decision path.
 */
export class LastValueHistory implements OpportunityHistory {
  private readonly ring: ArbOpportunityMessage[] = [];
  private next = 0;

  constructor(
    private readonly bus: Bus,
    private readonly size: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  record(event: ArbOpportunityMessage): void {
    if (this.size > 0) {
      if (this.ring.length < this.size) this.ring.push(event);
      else this.ring[this.next] = event;
      this.next = (this.next + 1) % this.size;
    }
    this.bus.putLast(ARB_LAST_BUCKET, arbLastKey(event.symbol, event.buyVenue, event.sellVenue), event).catch(this.onError);
  }

  recent(): readonly ArbOpportunityMessage[] {
    if (this.ring.length < this.size) return [...this.ring];
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}
