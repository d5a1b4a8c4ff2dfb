import type { WebSocket } from 'ws';
import type { FacadeTap, TapWsVerdict } from '../facade-tap.js';

/**
 * One WS connection of the façade. Every frame it sends goes through `send`, which asks the
 * fault-injection tap first; frames held back by a delay keep their order.
 */
export class WsSession {
  /** Market streams, by the exact name the client asked for. */
  readonly streams = new Set<string>();
  /** Listen keys whose user-data events this connection receives. */
  readonly listenKeys = new Set<string>();
  /** Combined-stream framing ({stream, data}) for market data; set by /stream or SET_PROPERTY. */
  combined: boolean;
  lastPongAt: number;

  private backlog: Promise<void> | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    readonly id: number,
    readonly path: string,
    private readonly socket: WebSocket,
    combined: boolean,
    private readonly tap: () => FacadeTap,
    now: number,
  ) {
    this.combined = combined;
    this.lastPongAt = now;
    socket.on('close', () => this.dispose());
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN;
  }

  /** Sends a market-stream payload (wrapped when combined) or a reply / user-data event (stream undefined). */
  send(stream: string | undefined, payload: unknown): void {
    if (!this.isOpen) return;
    const data = stream !== undefined && this.combined ? JSON.stringify({ stream, data: payload }) : JSON.stringify(payload);
    this.sendText(stream, data);
  }

  /** Same as send for an already serialized payload (shared between connections). */
  sendSerialized(stream: string | undefined, serialized: string): void {
    if (!this.isOpen) return;
    const data = stream !== undefined && this.combined ? `{"stream":${JSON.stringify(stream)},"data":${serialized}}` : serialized;
    this.sendText(stream, data);
  }

  private sendText(stream: string | undefined, data: string): void {
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
    const prev = this.backlog ?? Promise.resolve();
    const next = prev.then(() => (delayMs > 0 ? this.sleep(delayMs) : undefined)).then(() => this.write(data));
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
