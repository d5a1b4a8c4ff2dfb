/**
 * Failed logins per client address in a sliding minute: after `maxFailures`
 * failures, every further attempt inside the window is refused (HTTP 429)
 * without checking the token. The table is bounded: the oldest address is
 * forgotten first.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 60_000,
    private readonly maxClients = 10_000,
  ) {}

  blocked(client: string, now: number): boolean {
    return this.recent(client, now).length >= this.maxFailures;
  }

  fail(client: string, now: number): void {
    const list = this.recent(client, now);
    list.push(now);
    this.failures.delete(client);
    this.failures.set(client, list.slice(-this.maxFailures));
    while (this.failures.size > this.maxClients) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  private recent(client: string, now: number): number[] {
    return (this.failures.get(client) ?? []).filter((t) => now - t < this.windowMs);
  }
}
