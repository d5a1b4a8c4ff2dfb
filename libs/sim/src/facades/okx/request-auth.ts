import { createHmac, timingSafeEqual } from 'node:crypto';
import { OkxError, OkxErrors } from './errors.js';

export interface OkxCredential {
  apiKey: string;
  secret: string;
  passphrase: string;
  accountId: string;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** OKX refuses a request whose timestamp is more than 30 s from its clock. */
export const MAX_CLOCK_SKEW_MS = 30_000;
/** ISO 8601 with milliseconds in UTC, as OKX requires (2020-12-08T09:08:57.715Z). */
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** OKX's signature: base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath + body)). */
export function okxSign(secret: string, prehash: string): string {
  return createHmac('sha256', secret).update(prehash).digest('base64');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

export class OkxKeyRing {
  private readonly byKey = new Map<string, OkxCredential>();

  constructor(creds: Iterable<OkxCredential>) {
    for (const c of creds) this.byKey.set(c.apiKey, c);
  }

  /**
   * Checks a signed REST request's OK-ACCESS-* headers. `requestPath` is the path with its query string (GET),
   * `body` the raw body (POST). Each failure is OKX's own code: 50111 unknown key, 50112 malformed timestamp,
   * 50102 expired timestamp, 50105 wrong passphrase, 50113 wrong signature.
   */
  verifyRest(headers: Headers, method: string, requestPath: string, body: string, now: number): OkxCredential {
    const key = header(headers, 'ok-access-key');
    if (!key) throw OkxErrors.keyMissing();
    const cred = this.byKey.get(key);
    if (!cred) throw OkxErrors.invalidKey();
    const ts = header(headers, 'ok-access-timestamp');
    if (!ts) throw OkxErrors.timestampMissing();
    if (!ISO_MS.test(ts) || !Number.isFinite(Date.parse(ts))) throw OkxErrors.invalidTimestamp();
    if (Math.abs(now - Date.parse(ts)) > MAX_CLOCK_SKEW_MS) throw OkxErrors.timestampExpired();
    const passphrase = header(headers, 'ok-access-passphrase');
    if (!passphrase) throw OkxErrors.passphraseMissing();
    if (!same(passphrase, cred.passphrase)) throw OkxErrors.passphraseWrong();
    const sign = header(headers, 'ok-access-sign');
    if (!sign) throw OkxErrors.signMissing();
    if (!same(sign, okxSign(cred.secret, `${ts}${method.toUpperCase()}${requestPath}${body}`))) throw OkxErrors.invalidSign();
    return cred;
  }

  /**
   * The WebSocket login (op "login"): the signature over timestamp (Unix seconds) + "GET" + "/users/self/verify".
   * Failures are OKX's WS codes: 60005 unknown key, 60004 bad timestamp, 60006 expired, 60024 wrong passphrase,
   * 60007 wrong signature.
   */
  verifyLogin(arg: { apiKey?: unknown; passphrase?: unknown; timestamp?: unknown; sign?: unknown }, now: number): OkxCredential {
    const cred = typeof arg.apiKey === 'string' ? this.byKey.get(arg.apiKey) : undefined;
    if (!cred) throw new OkxError('60005', 'Invalid apiKey');
    const ts = typeof arg.timestamp === 'string' ? arg.timestamp : typeof arg.timestamp === 'number' ? String(arg.timestamp) : '';
    if (!/^\d{1,12}(\.\d+)?$/.test(ts)) throw new OkxError('60004', 'Invalid timestamp');
    if (Math.abs(now - Number(ts) * 1000) > MAX_CLOCK_SKEW_MS) throw new OkxError('60006', 'Timestamp request expired');
    if (typeof arg.passphrase !== 'string' || !same(arg.passphrase, cred.passphrase)) throw new OkxError('60024', 'Wrong passphrase');
    if (typeof arg.sign !== 'string' || !same(arg.sign, okxSign(cred.secret, `${ts}GET/users/self/verify`))) throw new OkxError('60007', 'Invalid sign');
    return cred;
  }
}
