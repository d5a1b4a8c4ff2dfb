import { BookMessage, patterns } from '@perpetua/core';
import type { NatsBus } from '@perpetua/bus';

/** What the run needs of the books on the bus: when each venue's book was last published, and when it went stale. */
export class BookWatch {
  private readonly lastAt = new Map<string, number>();
  /** Per venue, when a book marked stale arrived after a good one (the moment quoting must stop from). */
  private readonly staleAt = new Map<string, number[]>();
  private readonly wasStale = new Map<string, boolean>();

  constructor(bus: NatsBus, venues: readonly string[]) {
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

  /** A good (not stale) book of the venue arrived after `from`. */
  fresh(venue: string, from: number): boolean {
    return (this.lastAt.get(venue) ?? 0) > from && this.wasStale.get(venue) === false;
  }
}
