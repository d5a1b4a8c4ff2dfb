/**
 * StandX's WebSocket connection limits, per IP (docs.standx.com/standx-api/rate-limits,
 * "WebSocket Connections"): at most 10 connections open and 30 new connections a
 * minute. Every StandX socket of this process (market stream, private stream, order-
 * response stream, reconnects included) takes a place here before it dials, so a storm
 * of drops slows our reconnects down instead of getting the IP refused.
 *
 * Kept a little inside the venue's numbers: the window is 62 s (our clock starts before
 * the venue's sees the upgrade). One budget per venue host per process; several
 * processes on one IP share the venue's allowance, so each may be given a part of it.
 */
export interface StandxConnectionBudgetOptions {
  maxOpen?: number;
  maxNewPerWindow?: number;
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const STANDX_MAX_CONNECTIONS_PER_IP = 10;
export const STANDX_MAX_NEW_CONNECTIONS_PER_MINUTE = 30;

export class StandxConnectionBudget {
  readonly maxOpen: number;
  readonly maxNewPerWindow: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly recent: number[] = [];
  private openCount = 0;
  private queue: Promise<void> = Promise.resolve();
  private released: (() => void) | undefined;
  /** Dials that had to wait for a place (counted as the wait begins), and the time waited (ms): the limit's metric. */
  waits = 0;
  waitedMs = 0;
  /** Connections granted since start. */
  granted = 0;

  constructor(opts: StandxConnectionBudgetOptions = {}) {
    this.maxOpen = opts.maxOpen ?? STANDX_MAX_CONNECTIONS_PER_IP;
    this.maxNewPerWindow = opts.maxNewPerWindow ?? STANDX_MAX_NEW_CONNECTIONS_PER_MINUTE;
    this.windowMs = opts.windowMs ?? 62_000;
    this.now = opts.now ?? Date.now;
    // Unref'd: a dial held back must not keep a process alive that is otherwise done.
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms).unref()));
    if (!(this.maxOpen >= 1) || !(this.maxNewPerWindow >= 1)) throw new Error('StandX connection budget: limits must be at least 1');
  }

  get open(): number {
    return this.openCount;
  }

  /**
   * Resolves with a release function once a connection may be dialled; first come, first served. `onWait` is called
   * if this dial has to wait (for a metric).
   */
  acquire(onWait?: () => void): Promise<() => void> {
    const turn = this.queue.then(async () => {
      const started = this.now();
      let waited = false;
      for (;;) {
        const t = this.now();
        while (this.recent.length > 0 && t - this.recent[0]! >= this.windowMs) this.recent.shift();
        if (this.openCount < this.maxOpen && this.recent.length < this.maxNewPerWindow) break;
        if (!waited) {
          // Counted when the wait begins: a dial may be held for most of a minute.
          this.waits++;
          onWait?.();
        }
        waited = true;
        if (this.openCount >= this.maxOpen) {
          // Wait for a socket to close (or re-check in a while, whichever first).
          await Promise.race([new Promise<void>((r) => (this.released = r)), this.sleep(1_000)]);
        } else {
          await this.sleep(Math.max(10, this.recent[0]! + this.windowMs - t));
        }
      }
      if (waited) this.waitedMs += this.now() - started;
      this.recent.push(this.now());
      this.openCount++;
      this.granted++;
    });
    this.queue = turn.catch(() => undefined);
    return turn.then(() => {
      let done = false;
      return () => {
        if (done) return;
        done = true;
        this.openCount--;
        const r = this.released;
        this.released = undefined;
        r?.();
      };
    });
  }
}

const shared = new Map<string, StandxConnectionBudget>();

/** The process-wide budget for one StandX host (every adapter instance talking to it shares it). */
export function standxConnectionBudgetFor(url: string): StandxConnectionBudget {
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    host = url;
  }
  let b = shared.get(host);
  if (!b) {
    b = new StandxConnectionBudget();
    shared.set(host, b);
  }
  return b;
}
