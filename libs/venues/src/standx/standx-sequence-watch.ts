/**
 * What StandX's `seq` counts is not documented (docs.standx.com/standx-api/perps-ws: the
 * examples number an auth reply 1 and then 35, 36, 37 across channels). It may count
 * per connection, per channel, or skip. So nothing is inferred from a gap: a depth_book
 * message is a full snapshot and a gap loses nothing. Only a counter that goes
 * backwards (or repeats) within one channel and symbol is evidence of trouble: under
 * every plausible reading it only grows there.
 */
export class StandxSequenceWatch {
  private readonly last = new Map<string, number>();

  /** Records `seq` for a channel key; false when it did not grow there (stale or replayed). */
  observe(key: string, seq: number): boolean {
    const prev = this.last.get(key);
    if (prev !== undefined && seq <= prev) return false;
    this.last.set(key, seq);
    return true;
  }

  /** Forgets one key (after resubscribing it) or all (a new connection). */
  reset(key?: string): void {
    if (key === undefined) this.last.clear();
    else this.last.delete(key);
  }
}
