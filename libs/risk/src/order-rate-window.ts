/**
 * Order placements per venue in a sliding window (1 s by default), clock
 * injected so it is pure and testable. A placement at time t counts while
 * now − t < windowMs, so it frees up exactly windowMs later.
 */
export class OrderRateWindow {
  private readonly taken = new Map<string, { t: number; n: number }[]>();

  constructor(
    private readonly maxOrders: number,
    private readonly windowMs = 1000,
  ) {}

  /** Placements still allowed on the venue now. */
  available(venue: string, now: number): number {
    return Math.max(0, this.maxOrders - this.used(venue, now));
  }

  /** Records n placements and returns true if they fit; otherwise records nothing and returns false. */
  tryTake(venue: string, n: number, now: number): boolean {
    if (n <= 0) return true;
    if (this.used(venue, now) + n > this.maxOrders) return false;
    const list = this.taken.get(venue) ?? [];
    list.push({ t: now, n });
    this.taken.set(venue, list);
    return true;
  }

  private used(venue: string, now: number): number {
    const list = this.taken.get(venue);
    if (!list) return 0;
    const live = list.filter((e) => now - e.t < this.windowMs);
    if (live.length !== list.length) this.taken.set(venue, live);
    return live.reduce((sum, e) => sum + e.n, 0);
  }
}
