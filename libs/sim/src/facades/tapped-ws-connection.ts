import type { WebSocket } from 'ws';
import type { FacadeTap, TapWsVerdict } from './facade-tap.js';

/**
 * The transport under one WS connection of a tapped façade (Binance, Bybit, OKX). Every frame goes through
 * `sendText`, which asks the fault-injection tap first; frames held back by a delay keep their order. Each façade's
 * session adds its own subscriptions and framing on top.
 */
export abstract class TappedWsConnection {
  lastPongAt: number;

  private backlog: Promise<void> | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    readonly id: number,
    readonly path: string,
    private readonly socket: WebSocket,
    private readonly tap: () => FacadeTap,
    now: number,
  ) {
    this.lastPongAt = now;
    socket.on('close', () => this.dispose());
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN;
  }

  /** Writes a frame through the tap; `stream` is what the tap sees (undefined for replies and user data). */
  protected sendText(stream: string | undefined, data: string): void {
    const hook = this.tap().ws;
    let verdict: TapWsVerdict = { kind: 'pass' };
    if (hook) {
      try {
        verdict = hook({ connectionId: this.id, path: this.path, stream, data });
      } catch {
        verdict = { kind: 'pass' };
      }
    }
    switch (verdict.kind) {
      case 'drop':
        return;
      case 'close':
        this.socket.close(verdict.code, verdict.reason);
        return;
      case 'replace':
        this.enqueue(verdict.data, 0);
        return;
      case 'delay':
        this.enqueue(data, verdict.ms);
        return;
      case 'pass':
        this.enqueue(data, 0);
    }
  }

  private enqueue(data: string, delayMs: number): void {
    if (delayMs <= 0 && this.backlog === undefined) {
      this.write(data);
      return;
    }
    const next = (this.backlog ?? Promise.resolve()).then(() => (delayMs > 0 ? this.sleep(delayMs) : undefined)).then(() => this.write(data));
    this.backlog = next;
    void next.then(() => {
      if (this.backlog === next) this.backlog = undefined;
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private write(data: string): void {
    if (this.isOpen) this.socket.send(data);
  }

  ping(): void {
    if (this.isOpen) this.socket.ping();
  }

  close(code = 1000, reason = ''): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) this.socket.close(code, reason);
    this.dispose();
  }

  terminate(): void {
    this.socket.terminate();
    this.dispose();
  }

  private dispose(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
