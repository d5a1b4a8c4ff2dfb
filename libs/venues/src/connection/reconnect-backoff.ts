/**
 * Exponential backoff with "equal jitter": after the n-th consecutive failure
 * wait c/2 + uniform(0, c/2) with c = min(cap, base * 2^n). The fixed half makes
 * the wait really grow (a venue answering 429 is not hammered); the random half
 * keeps a fleet of gateways that lost a venue together from reconnecting in lockstep.
 */
export class ReconnectBackoff {
  private failures = 0;

  constructor(
    private readonly baseMs = 100,
    private readonly capMs = 10_000,
    private readonly random: () => number = Math.random,
  ) {
    if (!(baseMs > 0) || !(capMs >= baseMs)) throw new Error(`backoff needs 0 < baseMs <= capMs, got ${baseMs}, ${capMs}`);
  }

  /** The delay before the next attempt, counting this failure. */
  nextDelayMs(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return Math.floor(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  /** A success: the next failure starts from the base again. */
  reset(): void {
    this.failures = 0;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}
