import { ResilientSocket } from '../connection/resilient-socket.js';
import { describeGrvtError } from './grvt-error-codes.js';
import { GrvtFeedEnvelope, GrvtRpcReply, GrvtSubscribeResult } from './grvt-market-wire.js';
import type { GrvtSession } from './grvt-session.js';
import { GrvtFillWire, GrvtOrderWire } from './grvt-trading-wire.js';

export interface GrvtPrivateStreamOptions {
  venue: string;
  /** trades host `/ws/full`. */
  url: string;
  subAccountId: string;
  session: GrvtSession;
  /** Cancel-on-disconnect countdown sent with every heartbeat (ms); 0 = never armed by us. */
  cancelOnDisconnectMs: number;
  onOrder(order: GrvtOrderWire): void;
  onFill(fill: GrvtFillWire): void;
  /** Stream messages may have been lost since `since` (unix ms): a reconnect or a sequence gap. Reconcile by query. */
  onMaybeMissed(since: number): void;
  onWarn(message: string): void;
  /** The socket dropped (before any onMaybeMissed that follows its resubscription). */
  onDown?(reason: string): void;
  /** The clock (unix ms); default the wall clock. */
  now?: () => number;
}

const STREAMS = ['v1.order', 'v1.fill'] as const;
const ANSWER_TIMEOUT_MS = 10_000;
/** GRVT sends no pings of its own here: we ping, and a pong or any frame proves the link. */
const PING_MS = 5_000;
const SILENCE_MS = 15_000;
/** A failed upgrade (e.g. a stale cookie) logs in again at most this often. */
const RELOGIN_MIN_INTERVAL_MS = 5_000;
const UNAUTHENTICATED = 1000;

/**
 * The private half of GRVT's trades `/ws/full`: v1.order and v1.fill for our sub-account, with the session cookie
 * and account header at the upgrade, and the cancel-on-disconnect heartbeat as `v1/cancel_on_disconnect` RPC on the
 * same socket. The heartbeat rides the socket on purpose: a bot that lost its private stream (and so its view of
 * its fills) stops refreshing the countdown, and GRVT pulls its orders.
 * Each feed is numbered; a gap, like a reconnect, is reported through `onMaybeMissed` once resubscribed.
 */
export class GrvtPrivateStream {
  private socket: ResilientSocket | undefined;
  /** Mutated in place on a new login: ResilientSocket reads it at every (re)connect. */
  private readonly headers: Record<string, string> = {};
  private nextId = 1;
  private pendingSubs = new Set<number>();
  private readonly heartbeatIds = new Set<number>();
  private readonly expected = new Map<string, number>();
  private opens = 0;
  private connected = false;
  private openedSinceDrop = true;
  private downSince: number | undefined;
  private lastReloginAt = 0;
  /** When the last in-sequence feed message (or subscribe answer) arrived: a gap loses messages after this. */
  private readonly now: () => number;
  private lastInSequenceAt: number;
  private heartbeat: NodeJS.Timeout | undefined;
  private firstAnswer: { resolve(): void; reject(err: Error): void } | undefined;
  private closed = false;

  constructor(private readonly o: GrvtPrivateStreamOptions) {
    this.now = o.now ?? Date.now;
    this.lastInSequenceAt = this.now();
  }

  /** Connects and resolves once both feeds are subscribed. */
  async start(): Promise<void> {
    Object.assign(this.headers, await this.o.session.headers());
    const answered = new Promise<void>((resolve, reject) => (this.firstAnswer = { resolve, reject }));
    answered.catch(() => undefined); // awaited below; must not go unhandled if close() comes first
    this.socket = new ResilientSocket({
      url: this.o.url,
      headers: this.headers,
      pingIntervalMs: PING_MS,
      silenceTimeoutMs: SILENCE_MS,
      onOpen: () => this.onOpen(),
      onMessage: (text) => this.onMessage(text),
      onState: (state, reason) => this.onState(state, reason),
    });
    if (this.o.cancelOnDisconnectMs > 0) {
      // A third of the countdown: two heartbeats may be lost before GRVT cancels.
      this.heartbeat = setInterval(() => this.sendHeartbeat(), Math.max(500, Math.floor(this.o.cancelOnDisconnectMs / 3)));
      this.heartbeat.unref();
    }
    const timer = setTimeout(() => this.firstAnswer?.reject(new Error(`${this.o.venue}: private stream not subscribed within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
    try {
      await answered;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The session cookie changed: reconnect with it (the open socket's session will expire). */
  async sessionRenewed(): Promise<void> {
    Object.assign(this.headers, await this.o.session.headers());
    if (this.connected) this.socket?.resync('session renewed');
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    this.firstAnswer?.reject(new Error(`${this.o.venue}: closed`));
    const s = this.socket;
    this.socket = undefined;
    await s?.close();
  }

  private onOpen(): void {
    this.opens++;
    this.expected.clear();
    this.pendingSubs = new Set();
    for (const stream of STREAMS) {
      const id = this.nextId++;
      this.pendingSubs.add(id);
      this.send({ jsonrpc: '2.0', method: 'subscribe', params: { stream, selectors: [this.o.subAccountId] }, id });
    }
    this.sendHeartbeat();
  }

  private onState(state: 'connected' | 'resyncing' | 'down', reason?: string): void {
    if (state === 'connected') {
      this.connected = true;
      this.openedSinceDrop = true;
      return;
    }
    this.connected = false;
    if (state !== 'resyncing' || this.closed) return;
    if (this.downSince === undefined) this.o.onDown?.(reason ?? 'reconnecting');
    this.downSince ??= this.now();
    // Two drops without an open in between: the upgrade is being refused; a stale cookie is the likely cause.
    if (!this.openedSinceDrop) this.relogin(reason ?? 'reconnect failed');
    this.openedSinceDrop = false;
  }

  private relogin(why: string): void {
    const now = this.now();
    if (now - this.lastReloginAt < RELOGIN_MIN_INTERVAL_MS) return;
    this.lastReloginAt = now;
    this.o.session.invalidate();
    this.o.session.login().catch((err: unknown) => this.o.onWarn(`${this.o.venue}: login after "${why}" failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  private sendHeartbeat(): void {
    if (this.o.cancelOnDisconnectMs <= 0 || !this.connected) return;
    const id = this.nextId++;
    this.heartbeatIds.add(id);
    if (this.heartbeatIds.size > 100) this.heartbeatIds.delete(this.heartbeatIds.values().next().value!);
    this.send({
      jsonrpc: '2.0',
      method: 'v1/cancel_on_disconnect',
      params: { sub_account_id: this.o.subAccountId, countdown_time: String(this.o.cancelOnDisconnectMs) },
      id,
    });
  }

  private send(message: unknown): void {
    this.socket?.send(JSON.stringify(message));
  }

  private onMessage(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.o.onWarn(`${this.o.venue}: private stream sent non-JSON`);
    }
    if (typeof json === 'object' && json !== null && 'feed' in json) return this.onFeed(json);
    const reply = GrvtRpcReply.safeParse(json);
    if (!reply.success) return this.o.onWarn(`${this.o.venue}: private stream message neither feed nor RPC answer`);
    const id = reply.data.id;
    if (id !== undefined && this.heartbeatIds.delete(id)) {
      if (!reply.data.error) return;
      this.o.onWarn(`${this.o.venue}: cancel_on_disconnect heartbeat refused: ${describeGrvtError(reply.data.error.code, reply.data.error.message)}`);
      if (reply.data.error.code === UNAUTHENTICATED) this.relogin('heartbeat refused');
      return;
    }
    if (id === undefined || !this.pendingSubs.delete(id)) return;
    if (reply.data.error) {
      const err = new Error(`${this.o.venue}: subscribe refused: ${reply.data.error.code} ${reply.data.error.message}`);
      if (this.firstAnswer) return this.firstAnswer.reject(err);
      this.o.onWarn(err.message);
      return this.socket?.resync('subscribe refused');
    }
    const sub = GrvtSubscribeResult.safeParse(reply.data.result);
    const first = sub.success ? sub.data.first_sequence_number?.[0] : undefined;
    if (sub.success && first !== undefined) this.expected.set(sub.data.stream, first);
    this.lastInSequenceAt = this.now();
    if (this.pendingSubs.size > 0) return;
    if (this.firstAnswer) {
      this.firstAnswer.resolve();
      this.firstAnswer = undefined;
      this.downSince = undefined;
    } else if (this.downSince !== undefined) {
      const since = this.downSince;
      this.downSince = undefined;
      this.o.onMaybeMissed(since);
    }
  }

  private onFeed(json: object): void {
    // A feed we cannot read may have been an order update or a fill: lost to us, so reconcile as for a gap.
    const unreadable = (since: number, what: string): void => {
      this.o.onWarn(`${this.o.venue}: ${what}`);
      this.o.onMaybeMissed(since);
    };
    const env = GrvtFeedEnvelope.safeParse(json);
    if (!env.success) return unreadable(this.lastInSequenceAt, `private feed envelope: ${env.error.issues[0]?.message ?? 'invalid'}`);
    const { stream, sequence_number: seq } = env.data;
    const since = this.lastInSequenceAt;
    if (seq !== 0) {
      const want = this.expected.get(stream);
      if (want !== undefined && seq < want) return; // a repeat
      this.expected.set(stream, seq + 1);
      if (want !== undefined && seq > want) this.o.onMaybeMissed(this.lastInSequenceAt);
      this.lastInSequenceAt = this.now();
    }
    if (stream === 'v1.order') {
      const o = GrvtOrderWire.safeParse(env.data.feed);
      if (!o.success) return unreadable(since, `v1.order: ${o.error.issues[0]?.path.join('.') ?? ''} ${o.error.issues[0]?.message ?? ''}`);
      if (o.data.sub_account_id === this.o.subAccountId) this.o.onOrder(o.data);
    } else if (stream === 'v1.fill') {
      const f = GrvtFillWire.safeParse(env.data.feed);
      if (!f.success) return unreadable(since, `v1.fill: ${f.error.issues[0]?.path.join('.') ?? ''} ${f.error.issues[0]?.message ?? ''}`);
      if (f.data.sub_account_id === this.o.subAccountId) this.o.onFill(f.data);
    }
  }
}
