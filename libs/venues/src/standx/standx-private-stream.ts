import { ResilientSocket } from '../connection/resilient-socket.js';
import { StandxSequenceWatch } from './standx-sequence-watch.js';
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
  /** A channel's `seq` did not grow (the only sequence evidence): the caller checks the venue's records. */
  onSequenceBackwards?(detail: string): void;
  onInvalid?(kind: string, detail: string): void;
  /** StandX's per-IP connection budget, taken before every dial. */
  admit?: () => Promise<() => void>;
  onState?(state: 'connected' | 'resyncing' | 'down', reason?: string): void;
}

/**
 * StandX's private channels on the market stream: `{"auth":{"token","streams":[...]}}`
 * on every (re)connect, then `order`, `trade`, `position`, `balance` records. What `seq`
 * counts is undocumented, so a gap is no reason to reconnect (standx-sequence-watch.ts);
 * a channel whose counter goes backwards is reported, and the adapter checks the
 * venue's records by query. Every record is still delivered: order updates and trades
 * are idempotent downstream (tracker, fill ledger).
 */
export class StandxPrivateStream {
  private socket: ResilientSocket | undefined;
  private readonly seqs = new StandxSequenceWatch();
  private authedOnce = false;
  private firstAuth: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(private readonly opts: StandxPrivateStreamOptions) {}

  /** Connects and resolves once the first auth succeeded; rejects if it is refused. */
  async start(): Promise<void> {
    const authed = new Promise<void>((resolve, reject) => (this.firstAuth = { resolve, reject }));
    this.socket = new ResilientSocket({
      url: this.opts.url,
      silenceTimeoutMs: this.opts.silenceTimeoutMs,
      admit: this.opts.admit,
      onOpen: (s) => {
        this.seqs.reset();
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
    if (!this.seqs.observe(channel, seq)) this.opts.onSequenceBackwards?.(`${channel}: seq ${seq} after a higher one`);
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
