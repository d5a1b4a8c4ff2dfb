/**
 * A minimal StandX market-stream client for the tests (`ws` package): parses every
 * text frame with zod, keeps them in arrival order, counts server pings, and lets a
 * test wait (bounded) for the first message matching a predicate.
 */
import WebSocket, { type RawData } from 'ws';
import { StreamEnvelope } from './wire-shapes.js';

interface Waiter {
  test: (m: StreamEnvelope) => boolean;
  resolve: (m: StreamEnvelope) => void;
}

export interface StreamClientOptions {
  /** Answer server pings (the default, like every ws client). false = a client that never pongs. */
  autoPong?: boolean;
}

export class StreamClient {
  /** Envelope messages in arrival order. */
  readonly messages: StreamEnvelope[] = [];
  /** Text frames that are not envelopes (e.g. the 408 keepalive notice), parsed as JSON when possible. */
  readonly others: unknown[] = [];
  pings = 0;
  readonly closed: Promise<{ code: number }>;
  private readonly waiters = new Set<Waiter>();
  private isClosed = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) this.onText(data.toString());
    });
    ws.on('ping', () => {
      this.pings++;
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code: number) => {
        this.isClosed = true;
        resolve({ code });
      });
    });
    ws.on('error', () => undefined);
  }

  static connect(url: string, opts: StreamClientOptions = {}): Promise<StreamClient> {
    const ws = new WebSocket(url, { autoPong: opts.autoPong ?? true });
    const client = new StreamClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  get open(): boolean {
    return !this.isClosed && this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends an object as JSON, or a string as is (for malformed input). */
  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** A client-initiated ping frame (StandX's docs suggest this where pongs cannot be sent). */
  ping(): void {
    this.ws.ping();
  }

  /**
   * Pings and resolves on the pong. The server handles frames in order and writes the pong behind every frame it had
   * already written: a message sent before has been handled, and whatever that caused to be sent has arrived.
   */
  roundTrip(timeoutMs = 3_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no pong within ${timeoutMs} ms`)), timeoutMs);
      this.ws.once('pong', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.ping();
    });
  }

  sendBinary(bytes: Uint8Array): void {
    this.ws.send(bytes, { binary: true });
  }

  /** The first message (already received or still to come) after index `from` that matches. */
  waitFor(test: (m: StreamEnvelope) => boolean, what: string, timeoutMs = 3_000, from = 0): Promise<StreamEnvelope> {
    const seen = this.messages.slice(from).find((m) => matches(test, m));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        test,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Sends `{"auth":...}` and resolves with the auth reply's data. */
  async auth(token: string, streams: string[]): Promise<unknown> {
    const from = this.messages.length;
    this.send({ auth: { token, streams: streams.map((channel) => ({ channel })) } });
    return (await this.waitFor((m) => m.channel === 'auth', 'auth reply', 3_000, from)).data;
  }

  close(): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    this.ws.close();
    // terminate() if the close handshake stalls, so a test never hangs on teardown.
    const timer = setTimeout(() => this.ws.terminate(), 1_000);
    return this.closed.then(() => clearTimeout(timer));
  }

  private onText(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.others.push(text);
      return;
    }
    const env = StreamEnvelope.safeParse(json);
    if (!env.success) {
      this.others.push(json);
      return;
    }
    this.messages.push(env.data);
    for (const w of this.waiters) {
      if (matches(w.test, env.data)) {
        this.waiters.delete(w);
        w.resolve(env.data);
      }
    }
  }
}

/** A predicate that throws (e.g. a failing parse) simply does not match. */
function matches(test: (m: StreamEnvelope) => boolean, m: StreamEnvelope): boolean {
  try {
    return test(m);
  } catch {
    return false;
  }
}
