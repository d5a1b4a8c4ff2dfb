import { describeGrvtError, GRVT_IP_NOT_WHITELISTED } from './grvt-error-codes.js';
import { GrvtErrorBody, GrvtLoginBody } from './grvt-trading-wire.js';

/** The two credentials every private GRVT call carries. */
export interface GrvtSessionHeaders {
  cookie: string;
  'x-grvt-account-id': string;
}

export interface GrvtSessionOptions {
  venue: string;
  edgeUrl: string;
  apiKey: string;
  timeoutMs: number;
  /** Removes secrets from any text that may end up in an error. */
  redact: (text: string) => string;
  /** Called after every successful login except the first (the cookie changed). */
  onRenewed?: () => void;
  /** A scheduled renewal failed (it is retried). */
  onWarn?: (message: string) => void;
  now?: () => number;
}

interface Current {
  headers: GrvtSessionHeaders;
  expiresAt: number;
}

/** Without an `Expires`/`Max-Age` on the cookie we assume GRVT's documented API-key session length. */
const DEFAULT_TTL_MS = 24 * 3600_000;
const RETRY_MS = 30_000;

/**
 * GRVT's API-key session: `POST edge/auth/api_key/login {"api_key"}` gives a `gravity=` cookie (with an expiry) and
 * the `X-Grvt-Account-Id` header. Renewed on a timer before the cookie expires, and on demand after a 401
 * (`invalidate()`). Concurrent callers share one login.
 */
export class GrvtSession {
  private current: Current | undefined;
  private inflight: Promise<Current> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private logins = 0;
  private closed = false;
  /** Set once GRVT refused this machine (1008): no login is tried again, every caller gets this error. */
  private fatal: Error | undefined;
  private readonly now: () => number;

  constructor(private readonly o: GrvtSessionOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Valid credentials, logging in first when there are none or they are about to expire. */
  async headers(): Promise<GrvtSessionHeaders> {
    const c = this.current;
    if (c && c.expiresAt - this.renewMarginMs(c) > this.now()) return c.headers;
    return (await this.login()).headers;
  }

  /** The credentials were refused: the next `headers()` logs in again. */
  invalidate(): void {
    this.current = undefined;
  }

  /** GRVT refused this machine for good (1008, IP not whitelisted): stop logging in, fail every caller clearly. */
  markFatal(err: Error): void {
    this.fatal ??= err;
    this.current = undefined;
    clearTimeout(this.timer);
  }

  /** Logs in now (single flight). */
  login(): Promise<Current> {
    if (this.closed) return Promise.reject(new Error(`${this.o.venue}: session closed`));
    if (this.fatal) return Promise.reject(this.fatal);
    this.inflight ??= this.doLogin().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  /** Renew this long before expiry: a tenth of the lifetime, at most 10 minutes. */
  private renewMarginMs(c: Current): number {
    return Math.min(10 * 60_000, Math.max(0, (c.expiresAt - this.now()) / 10));
  }

  private async doLogin(): Promise<Current> {
    const { venue, redact } = this.o;
    let res: Response;
    try {
      res = await fetch(`${this.o.edgeUrl.replace(/\/+$/, '')}/auth/api_key/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ api_key: this.o.apiKey }),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (err) {
      throw new Error(`${venue}: login failed: ${redact(err instanceof Error ? err.message : String(err))}`);
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const e = GrvtErrorBody.safeParse(body);
      const detail = e.success ? `code ${describeGrvtError(e.data.code, e.data.message)}` : 'no GRVT error body';
      const err = new Error(`${venue}: login refused: HTTP ${res.status}, ${redact(detail)}`);
      if (e.success && e.data.code === GRVT_IP_NOT_WHITELISTED) this.markFatal(err);
      throw err;
    }
    if (!GrvtLoginBody.safeParse(body).success) throw new Error(`${venue}: login answer has an unexpected shape`);
    const accountId = res.headers.get('x-grvt-account-id');
    const cookie = res.headers.getSetCookie().find((c) => c.trimStart().startsWith('gravity='));
    if (!accountId || !cookie) throw new Error(`${venue}: login answer lacks the gravity cookie or X-Grvt-Account-Id`);
    const value = cookie.split(';')[0]!.trim();
    const current: Current = { headers: { cookie: value, 'x-grvt-account-id': accountId }, expiresAt: this.expiryOf(cookie) };
    this.current = current;
    this.schedule(current);
    if (this.logins++ > 0) this.o.onRenewed?.();
    return current;
  }

  private expiryOf(setCookie: string): number {
    const attrs = setCookie.split(';').slice(1).map((a) => a.trim());
    const maxAge = attrs.find((a) => /^max-age=/i.test(a));
    if (maxAge) {
      const s = Number(maxAge.slice(8));
      if (Number.isFinite(s)) return this.now() + s * 1000;
    }
    const expires = attrs.find((a) => /^expires=/i.test(a));
    const t = expires ? Date.parse(expires.slice(8)) : NaN;
    return Number.isFinite(t) ? t : this.now() + DEFAULT_TTL_MS;
  }

  /** Renews ahead of expiry even when no REST call asks (the private socket and its heartbeats need the cookie). */
  private schedule(c: Current): void {
    this.renewIn(c.expiresAt - this.renewMarginMs(c) - this.now());
  }

  private renewIn(ms: number): void {
    clearTimeout(this.timer);
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.login().catch((err: unknown) => {
        this.o.onWarn?.(err instanceof Error ? err.message : String(err));
        this.renewIn(RETRY_MS);
      });
    }, Math.min(2 ** 31 - 1, Math.max(1000, ms)));
    this.timer.unref();
  }
}
