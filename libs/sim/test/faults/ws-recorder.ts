/** A plain `ws` client that records every message with its arrival time, for the fault tests. */
import WebSocket, { type RawData } from 'ws';

export interface Received {
  at: number;
  json: Record<string, unknown>;
}

export class WsRecorder {
  readonly messages: Received[] = [];
  closeCode: number | undefined;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: RawData) => {
      this.messages.push({ at: Date.now(), json: JSON.parse(rawText(data)) as Record<string, unknown> });
    });
    socket.on('close', (code) => {
      this.closeCode = code;
    });
  }

  static async open(url: string): Promise<WsRecorder> {
    const socket = new WebSocket(url);
    const rec = new WsRecorder(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return rec;
  }

  /**
   * Pings and resolves on the pong. The server writes the pong behind every frame it had already written (one
   * ordered socket), so those have all arrived and been recorded by then.
   */
  roundTrip(timeoutMs = 3_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no pong within ${timeoutMs} ms`)), timeoutMs);
      this.socket.once('pong', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.ping();
    });
  }

  send(payload: unknown): void {
    this.socket.send(JSON.stringify(payload));
  }

  get closed(): boolean {
    return this.closeCode !== undefined;
  }

  where(pred: (m: Record<string, unknown>) => boolean): Received[] {
    return this.messages.filter((m) => pred(m.json));
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const done = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.terminate();
    await done;
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
