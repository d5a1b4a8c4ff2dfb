import { ResilientSocket } from '../connection/resilient-socket.js';
import { StandxStreamEnvelope, StandxStreamStatus } from './standx-trading-wire.js';

export type StandxPrivateChannel = 'order' | 'trade' | 'position' | 'balance';
const CHANNELS: readonly StandxPrivateChannel[] = ['order', 'trade', 'position', 'balance'];

export interface StandxPrivateStreamOptions {
  url: string;
  token: string;
  /** The server pings every ~10 s: silence this long means a dead connection. */
  silenceTimeoutMs: number;
  /** Longest wait for the first auth reply in start(). */
  authTimeoutMs: number;
  /** After each successful auth; `reconnect` is false only for the first. */
  onAuthed(reconnect: boolean): void;
  onRecord(channel: StandxPrivateChannel, data: unknown): void;
  onInvalid?(kind: string, detail: string): void;
  onState?(state: 'connected' | 'resyncing' | 'down', reason?: string): void;
}

/**
 * StandX's private channels on the market stream: `{"auth":{"token","streams":[...]}}`
 * on every (re)connect, then `order`, `trade`, `position`, `balance` records. `seq`
 * counts the messages of one connection; a gap means one was lost, so the connection
 * is replaced (the adapter then catches up by query).
 */
export class StandxPrivateStream {
  private socket: ResilientSocket | undefined;
  private lastSeq: number | undefined;
  private authedOnce = false;
  private firstAuth: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(private readonly opts: StandxPrivateStreamOptions) {}

  /** Connects and resolves once the first auth succeeded; rejects if it is refused. */
  async start(): Promise<void> {
    const authed = new Promise<void>((resolve, reject) => (this.firstAuth = { resolve, reject }));
    this.socket = new ResilientSocket({
      url: this.opts.url,
      silenceTimeoutMs: this.opts.silenceTimeoutMs,
      onOpen: (s) => {
        this.lastSeq = undefined;
        s.send(JSON.stringify({ auth: { token: this.opts.token, streams: CHANNELS.map((channel) => ({ channel })) } }));
      },
      onState: (state, reason) => this.opts.onState?.(state, reason),
      onMessage: (text) => this.onMessage(text),
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`StandX private stream: no auth reply within ${this.opts.authTimeoutMs} ms`)), this.opts.authTimeoutMs);
    });
    try {
      await Promise.race([authed, timeout]);
    } catch (err) {
      await this.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private onMessage(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.opts.onInvalid?.('not_json', text.slice(0, 120));
      return;
    }
    const env = StandxStreamEnvelope.safeParse(json);
    if (!env.success) {
      this.opts.onInvalid?.('envelope', env.error.issues[0]?.message ?? 'bad envelope');
      return;
    }
    const { seq, channel, data } = env.data;
    if (this.lastSeq !== undefined && seq !== this.lastSeq + 1) {
      this.socket?.resync(`sequence gap: ${this.lastSeq} then ${seq}`);
      return;
    }
    this.lastSeq = seq;
    if (channel === 'auth') return this.onAuth(data);
    if (channel === 'error') {
      const e = StandxStreamStatus.safeParse(data);
      this.opts.onInvalid?.('error', e.success ? `${e.data.code} ${e.data.msg ?? ''}` : 'unreadable error');
      return;
    }
    if ((CHANNELS as readonly string[]).includes(channel)) this.opts.onRecord(channel as StandxPrivateChannel, data);
  }

  private onAuth(data: unknown): void {
    const reply = StandxStreamStatus.safeParse(data);
    if (reply.success && reply.data.code === 200) {
      const reconnect = this.authedOnce;
      this.authedOnce = true;
      this.firstAuth?.resolve();
      this.firstAuth = undefined;
      this.opts.onAuthed(reconnect);
      return;
    }
    const reason = reply.success ? `${reply.data.code} ${reply.data.msg ?? ''}`.trim() : 'unreadable auth reply';
    if (this.firstAuth) {
      this.firstAuth.reject(new Error(`StandX private stream refused the token: ${reason}`));
      this.firstAuth = undefined;
      return;
    }
    // A token that worked before and fails now (expired): keep retrying with backoff, and say so.
    this.opts.onInvalid?.('auth', reason);
    this.socket?.resync(`auth refused: ${reason}`);
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    await s?.close();
  }
}
