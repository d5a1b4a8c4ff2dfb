/**
 * GRVT's cancel-on-disconnect: a per-sub-account countdown refreshed by calling `full/v1/cancel_on_disconnect`
 * (a heartbeat). When it lapses without a refresh, every open order of the sub-account is cancelled
 * (reject reason CLIENT_CANCEL_ON_DISCONNECT_TRIGGERED). A countdown of 0 switches it off.
 */
export class CancelOnDisconnect {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly onLapse: (subAccountId: string) => void) {}

  /** Arms (or re-arms) the countdown of `subAccountId` to `ms`; 0 disarms it. */
  heartbeat(subAccountId: string, ms: number): void {
    const old = this.timers.get(subAccountId);
    if (old) clearTimeout(old);
    this.timers.delete(subAccountId);
    if (ms <= 0) return;
    const timer = setTimeout(() => {
      this.timers.delete(subAccountId);
      this.onLapse(subAccountId);
    }, ms);
    timer.unref();
    this.timers.set(subAccountId, timer);
  }

  armed(subAccountId: string): boolean {
    return this.timers.has(subAccountId);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
