import { LeaseMachine, type LeaseTiming } from './lease-machine.js';
import type { LeaseStore } from './lease-store.js';

export interface LeaseOptions extends LeaseTiming {
  store: LeaseStore;
  /** One key per thing led: `risk.main`, `router.binanceusdm.main`, `gateway.bybit.BTC-PERP`. */
  key: string;
  /** Who we are (shown to others; e.g. host:pid). */
  holder: string;
  now: () => number;
  /** How often the machine is ticked (default 100 ms). */
  tickMs?: number;
  onChange?: (leader: boolean, token: number | undefined) => void;
  onError?: (err: unknown) => void;
}

/** The thin shell: ticks a LeaseMachine on a timer and carries out its store calls. */
export class Lease {
  private readonly machine: LeaseMachine;
  private timer: NodeJS.Timeout | undefined;
  private wasLeader = false;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly o: LeaseOptions) {
    this.machine = new LeaseMachine(o);
  }

  start(): void {
    this.step();
    this.timer = setInterval(() => this.step(), this.o.tickMs ?? 100);
    this.timer.unref();
  }

  isLeader(): boolean {
    return this.machine.isLeader(this.o.now());
  }

  /** The fencing token to stamp on what the leader sends; undefined when not leader. */
  token(): number | undefined {
    return this.machine.token(this.o.now());
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
    const token = this.machine.resign(this.o.now());
    this.notify();
    if (token !== undefined) await this.o.store.release(this.o.key, token).catch((err: unknown) => this.o.onError?.(err));
  }

  private step(): void {
    const now = this.o.now();
    const action = this.machine.tick(now);
    this.notify();
    if (action.kind === 'none') return;
    const sentAt = now;
    const call =
      action.kind === 'acquire'
        ? this.o.store.create(this.o.key, this.o.holder).then(
            (rev) => (rev === undefined ? this.machine.acquireFailed(this.o.now()) : this.machine.acquired(rev, sentAt)),
            (err: unknown) => {
              this.o.onError?.(err);
              this.machine.acquireFailed(this.o.now());
            },
          )
        : this.o.store.update(this.o.key, this.o.holder, action.token).then(
            (rev) => (rev === undefined ? this.machine.renewFailed(this.o.now(), true) : this.machine.renewed(rev, sentAt)),
            (err: unknown) => {
              this.o.onError?.(err);
              this.machine.renewFailed(this.o.now(), false);
            },
          );
    this.inFlight = call.then(() => this.notify());
  }

  private notify(): void {
    const leader = this.isLeader();
    if (leader !== this.wasLeader) {
      this.wasLeader = leader;
      this.o.onChange?.(leader, this.token());
    }
  }
}
