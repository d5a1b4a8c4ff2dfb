import type { z } from 'zod';
import { TokenBucket } from '../connection/token-bucket.js';
import type { StandxRequestSigner } from './request-signer.js';
import { StandxAuthError, StandxNoAnswerError, StandxRequestError, StandxResponseError } from './standx-rest-errors.js';
import { StandxPostReply, StandxReply } from './standx-trading-wire.js';

export interface StandxRestClientOptions {
  /** REST origin; paths are /api/... */
  baseUrl: string;
  token: string;
  signer: StandxRequestSigner;
  timeoutMs: number;
  limiter: TokenBucket;
  now?: () => number;
}

export interface StandxPostOptions {
  /** `x-session-id`: the order-response stream of this session is told the request's matching outcome. */
  sessionId?: string;
  /** Called with the request's `x-request-id` before it is sent (the outcome on the order stream names it). */
  onRequestId?(requestId: string): void;
}

/** Wait after an HTTP 429 when the venue gives no Retry-After. */
const DEFAULT_COOL_DOWN_MS = 1_000;

/**
 * StandX's private REST: the bearer token on every call, the ed25519 body signature on
 * every POST, one token-bucket token per call (the venue limits per account), a pause
 * after a 429, and one deadline per call. Replies are parsed with zod; failures become
 * the typed errors of standx-rest-errors.ts. Never retries: a caller decides.
 */
export class StandxRestClient {
  private coolDownUntil = 0;

  constructor(private readonly opts: StandxRestClientOptions) {}

  async get<S extends z.ZodType>(path: string, query: Record<string, string | undefined>, schema: S): Promise<z.infer<S>> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, v);
    const target = qs.size > 0 ? `${path}?${qs.toString()}` : path;
    return this.call(path, target, 'GET', undefined, schema);
  }

  /** A signed POST; StandX answers `{code: 0}` (an acknowledgement) or, for cancel_orders, possibly `[]`, on success. */
  async post(path: string, body: Record<string, unknown>, options: StandxPostOptions = {}): Promise<StandxPostReply> {
    return this.call(path, path, 'POST', JSON.stringify(body), StandxPostReply, options);
  }

  private async call<S extends z.ZodType>(
    endpoint: string,
    target: string,
    method: 'GET' | 'POST',
    body: string | undefined,
    schema: S,
    options: StandxPostOptions = {},
  ): Promise<z.infer<S>> {
    const now = this.opts.now ?? Date.now;
    await this.opts.limiter.take();
    const pause = this.coolDownUntil - now();
    if (pause > 0) await new Promise((r) => setTimeout(r, pause));

    const headers: Record<string, string> = { authorization: `Bearer ${this.opts.token}` };
    if (body !== undefined) {
      // The signature covers these exact bytes: the body is serialized once, above.
      const signed = this.opts.signer.sign(body);
      Object.assign(headers, { 'content-type': 'application/json' }, signed);
      if (options.sessionId !== undefined) headers['x-session-id'] = options.sessionId;
      options.onRequestId?.(signed['x-request-id']);
    }
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const res = await fetch(`${this.opts.baseUrl}${target}`, { method, headers, body, signal });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = await res.text();
    } catch (err) {
      const timedOut = signal.aborted || (err instanceof Error && err.name === 'TimeoutError');
      throw new StandxNoAnswerError(endpoint, timedOut ? 'timeout' : 'network', timedOut ? `${this.opts.timeoutMs} ms` : this.redact(causeOf(err)));
    }

    const json = parseJson(text);
    if (status < 200 || status >= 300) {
      if (status === 429) {
        const seconds = Number(retryAfter);
        this.coolDownUntil = now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_COOL_DOWN_MS);
      }
      const reply = StandxReply.safeParse(json);
      const message = this.redact(reply.success && reply.data.message ? reply.data.message : text.slice(0, 200) || `HTTP ${status}`);
      if (status === 401 || status === 403) throw new StandxAuthError(endpoint, status, message, method === 'POST');
      throw new StandxRequestError(endpoint, status, message);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new StandxResponseError(endpoint, parsed.error.issues[0]?.message ?? 'shape');
    if (body !== undefined) {
      // A POST's 200 still carries StandX's code when it is an object: anything but 0 is a refusal.
      const reply = parsed.data as StandxPostReply;
      if (!Array.isArray(reply) && reply.code !== 0) throw new StandxRequestError(endpoint, status, this.redact(reply.message ?? `code ${reply.code}`));
    }
    return parsed.data;
  }

  /** Venue text is echoed in errors: make sure our own token never rides along. */
  private redact(text: string): string {
    return this.opts.token.length > 0 ? text.split(this.opts.token).join('***') : text;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return 'request failed';
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`.slice(0, 200);
}
