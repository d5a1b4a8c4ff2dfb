import type { z } from 'zod';
import type { TokenBucket } from '../connection/token-bucket.js';
import type { GrvtSession } from './grvt-session.js';
import { describeGrvtError, GRVT_IP_NOT_WHITELISTED, GRVT_RATE_LIMITED, GRVT_UNAUTHENTICATED } from './grvt-error-codes.js';
import { GrvtErrorBody } from './grvt-trading-wire.js';

/** GRVT answered and refused the call: nothing happened. */
export class GrvtRefusedError extends Error {
  override name = 'GrvtRefusedError';
  constructor(
    message: string,
    readonly httpStatus: number,
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

/**
 * GRVT refused the call for its rate limit (1006 / HTTP 429), or the client held it back because GRVT did so
 * moments ago: nothing happened, and the caller should wait `retryAfterMs` before trying again.
 */
export class GrvtRateLimitedError extends GrvtRefusedError {
  override name = 'GrvtRateLimitedError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message, 429, GRVT_RATE_LIMITED);
  }
}

/** GRVT refuses this machine (1008, IP not whitelisted): no retry or new login can help; a person must act. */
export class GrvtFatalError extends GrvtRefusedError {
  override name = 'GrvtFatalError';
}

/** No usable answer (timeout, connection lost, 5xx, unreadable body): the call may or may not have taken effect. */
export class GrvtUncertainError extends Error {
  override name = 'GrvtUncertainError';
}

/** Backoff after a rate-limit answer without Retry-After: doubling from the first, up to the last. */
const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

const isSessionRefusal = (err: unknown): boolean =>
  err instanceof GrvtRefusedError && !(err instanceof GrvtFatalError) && (err.httpStatus === 401 || err.code === GRVT_UNAUTHENTICATED);

export interface GrvtRestClientOptions {
  venue: string;
  baseUrl: string;
  session: GrvtSession;
  timeoutMs: number;
  rateLimiter?: TokenBucket;
  redact: (text: string) => string;
  /** Unix ms; default Date.now. */
  now?: () => number;
  /** A rate-limit answer arrived (GRVT's 1006 / HTTP 429): for a metric. */
  onRateLimited?: (method: string, retryAfterMs: number) => void;
}

export interface GrvtCallOptions {
  /** While GRVT's rate limit is in force, refuse at once (GrvtRateLimitedError) instead of waiting it out. */
  failFastWhenLimited?: boolean;
}

/**
 * `POST <host>/full/v1/<method>` with the session cookie and account header. A 401 (code 1000) logs in again and
 * repeats the call once — safe even for create_order, since GRVT refused it before looking at it; a second 401
 * fails clearly. 1008 (IP not whitelisted, also a 401) is fatal: no new login. A rate-limit answer (1006 / 429)
 * pauses this client (Retry-After, else a doubling backoff): meanwhile calls wait the pause out, or, when asked to
 * (new orders), are refused at once without reaching GRVT. Every call takes a token from the venue's rate limiter
 * first; the timeout covers the answer only.
 */
export class GrvtRestClient {
  private pausedUntil = 0;
  private backoffMs = BACKOFF_FIRST_MS;

  constructor(private readonly o: GrvtRestClientOptions) {}

  private get now(): number {
    return (this.o.now ?? Date.now)();
  }

  async call<S extends z.ZodType>(method: string, body: unknown, schema: S, auth = true, opts: GrvtCallOptions = {}): Promise<z.infer<S>> {
    try {
      return await this.once(method, body, schema, auth, opts);
    } catch (err) {
      if (!(auth && isSessionRefusal(err))) throw err;
      this.o.session.invalidate();
      try {
        return await this.once(method, body, schema, auth, opts);
      } catch (again) {
        if (again instanceof GrvtRefusedError && isSessionRefusal(again)) {
          throw new GrvtRefusedError(`${this.o.venue}: ${method}: session refused again after a fresh login (${again.message})`, again.httpStatus, again.code);
        }
        throw again;
      }
    }
  }

  private async once<S extends z.ZodType>(method: string, body: unknown, schema: S, auth: boolean, opts: GrvtCallOptions): Promise<z.infer<S>> {
    const { venue, redact } = this.o;
    const pause = this.pausedUntil - this.now;
    if (pause > 0) {
      if (opts.failFastWhenLimited) throw new GrvtRateLimitedError(`${venue}: ${method}: held back, GRVT's rate limit answered ${pause} ms ago is still in force`, pause);
      await new Promise((r) => setTimeout(r, pause));
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth) Object.assign(headers, await this.o.session.headers());
    await this.o.rateLimiter?.take();
    let res: Response;
    let json: unknown;
    try {
      res = await fetch(`${this.o.baseUrl.replace(/\/+$/, '')}/full/v1/${method}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      json = await res.json().catch(() => undefined);
    } catch (err) {
      const timeout = err instanceof Error && err.name === 'TimeoutError';
      const why = timeout ? `no answer within ${this.o.timeoutMs} ms` : redact(err instanceof Error ? err.message : String(err));
      throw new GrvtUncertainError(`${venue}: ${method}: ${why}`);
    }
    if (!res.ok) {
      const e = GrvtErrorBody.safeParse(json);
      const code = e.success ? e.data.code : undefined;
      const detail = e.success ? describeGrvtError(e.data.code, redact(e.data.message)) : `HTTP ${res.status}`;
      // A 5xx says nothing about whether the call took effect.
      if (res.status >= 500) throw new GrvtUncertainError(`${venue}: ${method}: HTTP ${res.status} ${detail}`);
      // 429 also answers 2090 (max open orders), which no waiting cures: only 1006, or a 429 without a body, pauses.
      if (code === GRVT_RATE_LIMITED || (res.status === 429 && code === undefined)) {
        const wait = this.rateLimited(res.headers.get('retry-after'));
        this.o.onRateLimited?.(method, wait);
        throw new GrvtRateLimitedError(`${venue}: ${method}: ${detail}; paused ${wait} ms`, wait);
      }
      if (code === GRVT_IP_NOT_WHITELISTED) {
        const fatal = new GrvtFatalError(`${venue}: ${method}: ${detail}`, res.status, code);
        this.o.session.markFatal(fatal);
        throw fatal;
      }
      throw new GrvtRefusedError(`${venue}: ${method}: ${detail}`, res.status, code);
    }
    this.backoffMs = BACKOFF_FIRST_MS;
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GrvtUncertainError(`${venue}: ${method}: unexpected answer (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})`);
    }
    return parsed.data;
  }

  /** Starts (or extends) the pause after a rate-limit answer; returns its length. */
  private rateLimited(retryAfter: string | null): number {
    const seconds = retryAfter !== null && /^\d{1,5}$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
    const wait = seconds !== undefined ? Math.min(BACKOFF_MAX_MS * 10, seconds * 1000) : this.backoffMs;
    if (seconds === undefined) this.backoffMs = Math.min(BACKOFF_MAX_MS, this.backoffMs * 2);
    this.pausedUntil = Math.max(this.pausedUntil, this.now + wait);
    return wait;
  }
}
