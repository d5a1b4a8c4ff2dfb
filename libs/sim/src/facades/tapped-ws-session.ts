import type { WebSocket } from 'ws';
import type { FacadeTap, TapWsVerdict } from './facade-tap.js';

/**
 * One WS connection of a tapped façade (Bybit, OKX). Every frame it sends goes through `send`, which asks the fault-injection
 * tap first; frames held back by a delay keep their order. (Same design as the Binance façade's session; own code.)
 */
export class WsSession {
  /** Topics subscribed, as the client named them. */
  readonly topics = new Set<string>();
  /** The account after a successful `auth` op (private endpoint only). */
  accountId: string | undefined;
  lastPongAt: number;

  private backlog: Promise<void> | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    readonly id: number,
    /** Bybit's connection id (conn_id), echoed in op replies. */
    readonly connId: string,
    readonly path: string,
    readonly isPrivate: boolean,
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

  /** Sends a topic frame (`topic` set) or an op reply (`topic` undefined). */
  send(topic: string | undefined, payload: unknown): void {
    if (this.isOpen) this.sendText(topic, JSON.stringify(payload));
  }

  /** Same as send for an already serialized payload (shared between connections); no topic for a reply. */
  sendSerialized(topic: string | undefined, serialized: string): void {
    if (this.isOpen) this.sendText(topic, serialized);
  }

  private sendText(topic: string | undefined, data: string): void {
    const hook = this.tap().ws;
    let verdict: TapWsVerdict = { kind: 'pass' };
    if (hook) {
      try {
        verdict = hook({ connectionId: this.id, path: this.path, stream: topic, data });
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
