/**
 * A token bucket: `ratePerSec` tokens a second, at most `burst` saved up. Every
 * REST call of a venue takes one before it goes out, so a venue sees at most
 * `burst` calls at once and `ratePerSec` sustained, below its documented limit.
 * Waiters are served in order. The clock and timer are injectable for tests.
 */
export interface TokenBucketOptions {
  ratePerSec: number;
  burst: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Calls that had to wait for a token, and the total time they waited (ms). */
  waits = 0;
  waitedMs = 0;

  constructor(private readonly opts: TokenBucketOptions) {
    if (!(opts.ratePerSec > 0) || !Number.isFinite(opts.ratePerSec)) throw new Error(`token bucket rate must be a positive number, got ${opts.ratePerSec}`);
    if (!Number.isInteger(opts.burst) || opts.burst < 1) throw new Error(`token bucket burst must be a whole number >= 1, got ${opts.burst}`);
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.tokens = opts.burst;
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.opts.burst, this.tokens + ((t - this.last) / 1000) * this.opts.ratePerSec);
    this.last = t;
  }

  /** Resolves when a token is taken; callers are served first come, first served. */
  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      this.refill();
      if (this.tokens < 1) {
        const waitMs = ((1 - this.tokens) / this.opts.ratePerSec) * 1000;
        this.waits++;
        this.waitedMs += waitMs;
        await this.sleep(waitMs);
        this.refill();
      }
      this.tokens -= 1;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Tokens available now (for metrics). */
  get available(): number {
    this.refill();
    return this.tokens;
  }
}
