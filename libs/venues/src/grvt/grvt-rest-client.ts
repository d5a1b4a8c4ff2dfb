import type { z } from 'zod';
import type { TokenBucket } from '../connection/token-bucket.js';
import type { GrvtSession } from './grvt-session.js';
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

/** No usable answer (timeout, connection lost, 5xx, unreadable body): the call may or may not have taken effect. */
export class GrvtUncertainError extends Error {
  override name = 'GrvtUncertainError';
}

const UNAUTHENTICATED = 1000;

export interface GrvtRestClientOptions {
  venue: string;
  baseUrl: string;
  session: GrvtSession;
  timeoutMs: number;
  rateLimiter?: TokenBucket;
  redact: (text: string) => string;
}

/**
 * `POST <host>/full/v1/<method>` with the session cookie and account header. A 401 (code 1000) logs in again and
 * repeats the call once — safe even for create_order, since GRVT refused it before looking at it; a second 401
 * fails clearly. Every call takes a token from the venue's rate limiter first; the timeout covers the answer only.
 */
export class GrvtRestClient {
  constructor(private readonly o: GrvtRestClientOptions) {}

  async call<S extends z.ZodType>(method: string, body: unknown, schema: S, auth = true): Promise<z.infer<S>> {
    try {
      return await this.once(method, body, schema, auth);
    } catch (err) {
      if (!(auth && err instanceof GrvtRefusedError && (err.httpStatus === 401 || err.code === UNAUTHENTICATED))) throw err;
      this.o.session.invalidate();
      try {
        return await this.once(method, body, schema, auth);
      } catch (again) {
        if (again instanceof GrvtRefusedError && (again.httpStatus === 401 || again.code === UNAUTHENTICATED)) {
          throw new GrvtRefusedError(`${this.o.venue}: ${method}: session refused again after a fresh login (${again.message})`, again.httpStatus, again.code);
        }
        throw again;
      }
    }
  }

  private async once<S extends z.ZodType>(method: string, body: unknown, schema: S, auth: boolean): Promise<z.infer<S>> {
    const { venue, redact } = this.o;
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
      const detail = e.success ? `${e.data.code} ${redact(e.data.message)}` : `HTTP ${res.status}`;
      // A 5xx says nothing about whether the call took effect.
      if (res.status >= 500) throw new GrvtUncertainError(`${venue}: ${method}: HTTP ${res.status} ${detail}`);
      throw new GrvtRefusedError(`${venue}: ${method}: ${detail}`, res.status, e.success ? e.data.code : undefined);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GrvtUncertainError(`${venue}: ${method}: unexpected answer (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})`);
    }
    return parsed.data;
  }
}
