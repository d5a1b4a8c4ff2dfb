import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The baseline for the simulator's push rate: a bare `ws` server that sends
 * recorded façade frames (same sizes, same one-frame-per-turn pacing) with no
 * simulation behind them: the transport's ceiling on this machine.
 */
export class RawPushServer {
  private readonly wss: WebSocketServer;
  private readonly clients: WebSocket[] = [];

  private constructor(wss: WebSocketServer) {
    this.wss = wss;
    wss.on('connection', (ws) => this.clients.push(ws));
  }

  static async start(): Promise<RawPushServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    return new RawPushServer(wss);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** Sends, each event-loop turn for `ms`, the next of `frames[i]` to client i. */
  pump(frames: ReadonlyArray<readonly string[]>, ms: number): Promise<void> {
    const end = performance.now() + ms;
    let n = 0;
    return new Promise((resolve) => {
      const turn = () => {
        this.clients.forEach((ws, i) => {
          const list = frames[i]!;
          ws.send(list[n % list.length]!);
        });
        n++;
        if (performance.now() < end) setImmediate(turn);
        else resolve();
      };
      turn();
    });
  }

  async close(): Promise<void> {
    for (const ws of this.clients) ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }
}
