import { ArbEpisodeMessage, BookMessage, OrderEvent, QuoteIntent, patterns } from '@perpetua/core';
import type { NatsBus } from '@perpetua/bus';

/** What the run needs of the books on the bus: when each venue's book was last published, and when it went stale. */
export class BookWatch {
  private readonly lastAt = new Map<string, number>();
  /** Per venue, when a book marked stale arrived after a good one (the moment quoting must stop from). */
  private readonly staleAt = new Map<string, number[]>();
  private readonly wasStale = new Map<string, boolean>();

  /** Per venue: when empty quote sets (quotes pulled) were published, and when our orders were reported cancelled. */
  private readonly pulledAt = new Map<string, number[]>();
  private readonly cancelledAt = new Map<string, number[]>();

  /** Arbitrage episodes executed, by outcome and venue pair (the run's evidence that arbitrage traded). */
  readonly arbEpisodes = new Map<string, number>();

  constructor(bus: NatsBus, venues: readonly string[]) {
    bus.subscribe(patterns.allArbEpisodes, ArbEpisodeMessage, (e) => {
      const key = `${e.buyVenue}→${e.sellVenue} ${e.outcome}`;
      this.arbEpisodes.set(key, (this.arbEpisodes.get(key) ?? 0) + 1);
    });
    const note = (m: Map<string, number[]>, venue: string) => {
      const list = m.get(venue) ?? [];
      list.push(Date.now());
      if (list.length > 1_000) list.shift();
      m.set(venue, list);
    };
    bus.subscribe(patterns.allQuoteIntents, QuoteIntent, (i) => {
      if (i.quotes.length === 0) note(this.pulledAt, i.venue);
    });
    bus.subscribe(patterns.allOrderEvents, OrderEvent, (e) => {
      if (e.status === 'canceled') note(this.cancelledAt, e.venue);
    });
    for (const venue of venues)
      bus.subscribe(patterns.booksOf(venue), BookMessage, (b) => {
        const now = Date.now();
        this.lastAt.set(venue, now);
        if (b.stale && !this.wasStale.get(venue)) {
          const list = this.staleAt.get(venue) ?? [];
          list.push(now);
          if (list.length > 1_000) list.shift();
          this.staleAt.set(venue, list);
        }
        this.wasStale.set(venue, b.stale);
      });
  }

  /** The first time after `from` the venue's book was published stale. */
  staleSince(venue: string, from: number): number | undefined {
    return this.staleAt.get(venue)?.find((t) => t >= from);
  }

  /** The path from a stale book to quotes gone, for the evidence: the first pull and cancel after `from`, relative to it. */
  pullTrace(venue: string, from: number): string {
    const first = (m: Map<string, number[]>) => m.get(venue)?.find((t) => t >= from);
    const rel = (t: number | undefined) => (t === undefined ? 'none' : `+${t - from} ms`);
    return `quotes pulled (empty quote set on the bus) ${rel(first(this.pulledAt))}, first cancel reported ${rel(first(this.cancelledAt))}`;
  }

  /** A good (not stale) book of the venue arrived after `from`. */
  fresh(venue: string, from: number): boolean {
    return (this.lastAt.get(venue) ?? 0) > from && this.wasStale.get(venue) === false;
  }
}
