import { Lease, type LeaseOptions } from './lease.js';

/** What runs while this process leads; stopped when it does not any more. */
export interface ActivePart {
  stop(): Promise<void>;
}

/** One spell of leadership: its fencing token while it lasts, undefined for ever after (even if we lead again later). */
export interface LeaderTerm {
  token(): number | undefined;
}

export type StandbyRole = 'standby' | 'promoting' | 'active' | 'demoting';

export interface StandbyRunnerOptions extends Omit<LeaseOptions, 'onChange'> {
  /** Starts the active part; everything it writes or sends is to be fenced by `term`. */
  activate(term: LeaderTerm): Promise<ActivePart>;
  onRole?(role: StandbyRole, token: number | undefined): void;
}

/**
 * Hot standby: the process is up and connected, but its service runs only
 * while it holds the lease. Gaining the lease starts the service (a router
 * reconciles before it places anything); losing it — a refused renewal, or
 * validity run out while paused — stops it, and its term's token is gone at
 * once, so a stale leader's writes are refused by the state store and its
 * venue calls by the fencing adapter even before the stop completes.
 */
export class StandbyRunner {
  private readonly lease: Lease;
  private term = 0;
  private active: ActivePart | undefined;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly o: StandbyRunnerOptions) {
    this.lease = new Lease({ ...o, onChange: () => this.settle() });
  }

  start(): void {
    this.o.onRole?.('standby', undefined);
    this.lease.start();
  }

  isActive(): boolean {
    return this.active !== undefined;
  }

  isLeader(): boolean {
    return this.lease.isLeader();
  }

  /** Stops the active part while still leader (a router pulls its orders), then gives the lease up for the standby. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.chain;
    const a = this.active;
    this.active = undefined;
    if (a) await a.stop().catch((err: unknown) => this.o.onError?.(err));
    this.term++;
    await this.lease.stop();
  }

  private settle(): void {
    this.chain = this.chain.then(() => this.apply());
  }

  private async apply(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const leader = this.lease.isLeader();
      if (leader && !this.active) {
        const term = ++this.term;
        this.o.onRole?.('promoting', this.lease.token());
        try {
          this.active = await this.o.activate({ token: () => (this.term === term ? this.lease.token() : undefined) });
          this.o.onRole?.('active', this.lease.token());
        } catch (err) {
          this.term++;
          this.o.onError?.(err);
          this.o.onRole?.('standby', undefined);
          // Still leader, and nothing runs: try again shortly rather than hold the lease idle.
          this.retry = setTimeout(() => this.settle(), 1_000);
          this.retry.unref();
          return;
        }
        continue; // leadership may have gone while starting
      }
      if (!leader && this.active) {
        this.term++; // the token is gone before the stop begins
        this.o.onRole?.('demoting', undefined);
        const a = this.active;
        this.active = undefined;
        await a.stop().catch((err: unknown) => this.o.onError?.(err));
        this.o.onRole?.('standby', undefined);
        continue;
      }
      return;
    }
  }
}
