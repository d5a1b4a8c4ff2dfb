/**
 * Our side of StandX's Order Response Stream, `/ws-api/v1` (docs.standx.com/standx-api/perps-ws,
 * "Order Response Stream"): where StandX tells the outcome of an order after matching,
 * including rejections made during matching (an ALO that would cross) that the order
 * channel and query_order may never show. Every request is
 *   {"session_id", "request_id", "method": "auth:login", "params": "{\"token\":\"<jwt>\"}"}
 * with `params` a JSON *string*. Our REST new_order / cancel_order carry `x-session-id`
 * equal to this session id (docs.standx.com/standx-api/perps-http, "Session ID"), and
 * their outcomes arrive here as `{code, message, request_id}`, request_id being the REST
 * call's `x-request-id` (assumed; the docs show request_id in the answer, not which one).
 * The session id stays the same across reconnects ("UUID that remains consistent
 * throughout the session"); every (re)connect logs in again.
 */
import { randomUUID } from 'node:crypto';
import { ResilientSocket } from '../connection/resilient-socket.js';
import { StandxOrderResponse } from './standx-trading-wire.js';

export interface StandxOrderStreamOptions {
  url: string;
  token: string;
  sessionId: string;
  silenceTimeoutMs: number;
  admit?: () => Promise<() => void>;
  /** An outcome for one of our requests (not the login). */
  onResponse(requestId: string, code: number, message: string): void;
  onInvalid?(kind: string, detail: string): void;
  onState?(state: 'connected' | 'resyncing' | 'down', reason?: string): void;
}

export class StandxOrderStream {
  private socket: ResilientSocket | undefined;
  private loginId: string | undefined;
  private loggedIn = false;
  private firstLogin: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(private readonly opts: StandxOrderStreamOptions) {}

  get authed(): boolean {
    return this.loggedIn;
  }

  /** Connects and resolves once logged in; rejects if the login is refused or does not answer in time. */
  async start(timeoutMs: number): Promise<void> {
    const done = new Promise<void>((resolve, reject) => (this.firstLogin = { resolve, reject }));
    this.socket = new ResilientSocket({
      url: this.opts.url,
      silenceTimeoutMs: this.opts.silenceTimeoutMs,
      admit: this.opts.admit,
      onOpen: (s) => {
        this.loggedIn = false;
        this.loginId = randomUUID();
        s.send(JSON.stringify({ session_id: this.opts.sessionId, request_id: this.loginId, method: 'auth:login', params: JSON.stringify({ token: this.opts.token }) }));
      },
      onState: (state, reason) => {
        if (state !== 'connected') this.loggedIn = false;
        this.opts.onState?.(state, reason);
      },
      onMessage: (text) => this.onMessage(text),
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`StandX order-response stream: no login answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
      this.firstLogin = undefined;
    }
  }

  private onMessage(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.opts.onInvalid?.('order_response', `not JSON: ${text.slice(0, 120)}`);
    }
    const r = StandxOrderResponse.safeParse(json);
    if (!r.success) return this.opts.onInvalid?.('order_response', r.error.issues[0]?.message ?? 'unreadable');
    const { code, message = '', request_id: requestId } = r.data;
    if (requestId !== undefined && requestId === this.loginId) {
      if (code === 0 || code === 200) {
        this.loggedIn = true;
        this.firstLogin?.resolve();
        return;
      }
      const reason = `${code} ${message}`.trim();
      if (this.firstLogin) return this.firstLogin.reject(new Error(`StandX order-response stream refused the token: ${reason}`));
      this.opts.onInvalid?.('order_response_auth', reason);
      this.socket?.resync(`login refused: ${reason}`);
      return;
    }
    if (requestId === undefined) return this.opts.onInvalid?.('order_response', `answer without request_id: ${code} ${message}`.slice(0, 200));
    this.opts.onResponse(requestId, code, message);
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    await s?.close();
  }
}
