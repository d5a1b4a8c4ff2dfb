/**
 * A leader lease as a pure state machine on an injected clock: follower →
 * (acquire) → leader → (renew …) → follower when a renewal is refused or the
 * lease lapses. The caller does the I/O the machine asks for (`tick`) and
 * reports the outcome. The token is the lease's revision in the store, which
 * only grows: a command stamped with an older token than the current one comes
 * from a stale leader and is refused.
 *
 * A holder counts itself leader only until the time its last successful write
 * was *sent* plus the ttl minus a safety margin, so a process paused longer than
 * that (GC, SIGSTOP, a partition) stops acting before anyone else can acquire.
 */
export interface LeaseTiming {
  /** How long the store keeps an unrenewed lease. */
  ttlMs: number;
  /** How often the leader renews, and a follower tries to acquire. */
  renewEveryMs: number;
  /** Taken off the ttl for clock drift and store latency. */
  marginMs: number;
}

export type LeaseAction = { kind: 'none' } | { kind: 'acquire' } | { kind: 'renew'; token: number };

type State =
  | { role: 'follower'; nextTryAt: number; pending: boolean }
  | { role: 'leader'; token: number; validUntil: number; renewAt: number; pending: boolean };

export class LeaseMachine {
  private state: State = { role: 'follower', nextTryAt: 0, pending: false };

  constructor(private readonly timing: LeaseTiming) {
    if (timing.marginMs < 0 || timing.renewEveryMs <= 0 || timing.ttlMs <= timing.marginMs + timing.renewEveryMs)
      throw new Error(`lease timing: ttl ${timing.ttlMs} ms must exceed renewEvery ${timing.renewEveryMs} ms + margin ${timing.marginMs} ms`);
  }

  /** What to do now: at most one store call in flight. A leader past its validity becomes a follower here. */
  tick(now: number): LeaseAction {
    const s = this.state;
    if (s.pending) return { kind: 'none' };
    if (s.role === 'leader') {
      if (now >= s.validUntil) {
        this.state = { role: 'follower', nextTryAt: now, pending: false };
        return this.tick(now);
      }
      if (now < s.renewAt) return { kind: 'none' };
      s.pending = true;
      return { kind: 'renew', token: s.token };
    }
    if (now < s.nextTryAt) return { kind: 'none' };
    s.pending = true;
    return { kind: 'acquire' };
  }

  /** The store created the lease for us (revision `token`); `sentAt` is when the request left. */
  acquired(token: number, sentAt: number): void {
    this.state = { role: 'leader', token, validUntil: sentAt + this.timing.ttlMs - this.timing.marginMs, renewAt: sentAt + this.timing.renewEveryMs, pending: false };
  }

  /** Someone else holds it, or the store could not be reached: try again later. */
  acquireFailed(now: number): void {
    this.state = { role: 'follower', nextTryAt: now + this.timing.renewEveryMs, pending: false };
  }

  renewed(token: number, sentAt: number): void {
    if (this.state.role !== 'leader') return; // lapsed meanwhile: the write was late, we stay follower
    this.acquired(token, sentAt);
  }

  /**
   * `lost`: the store refused (the revision moved: another holder, or the lease
   * expired) — step down at once. Otherwise (an error, no answer) stay leader
   * until validity runs out and retry.
   */
  renewFailed(now: number, lost: boolean): void {
    const s = this.state;
    if (s.role !== 'leader') return;
    if (lost) this.state = { role: 'follower', nextTryAt: now + this.timing.renewEveryMs, pending: false };
    else this.state = { ...s, renewAt: now + Math.min(this.timing.renewEveryMs, 250), pending: false };
  }

  /** Gives the lease up (shutdown): the caller deletes the key if it still holds it. */
  resign(now: number): number | undefined {
    const token = this.token(now);
    this.state = { role: 'follower', nextTryAt: Number.POSITIVE_INFINITY, pending: false };
    return token;
  }

  isLeader(now: number): boolean {
    return this.state.role === 'leader' && now < this.state.validUntil;
  }

  /** The fencing token while leader. */
  token(now: number): number | undefined {
    return this.isLeader(now) && this.state.role === 'leader' ? this.state.token : undefined;
  }
}
