import { BybitErrors } from './errors.js';
import { restPayload, signatureMatches } from './signature.js';

export interface ApiCredential {
  apiKey: string;
  secret: string;
  accountId: string;
}

/** Keys the façade accepts, each bound to one engine account. */
export class KeyRing {
  private readonly byKey = new Map<string, ApiCredential>();

  constructor(creds: Iterable<ApiCredential>) {
    for (const c of creds) this.byKey.set(c.apiKey, c);
  }

  get(apiKey: string): ApiCredential | undefined {
    return this.byKey.get(apiKey);
  }
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const INTEGER = /^[0-9]{1,16}$/;
const DEFAULT_RECV_WINDOW = 5_000;
/** Bybit refuses a timestamp 1 s or more ahead of its clock. */
const MAX_AHEAD_MS = 1_000;

/**
 * Bybit v5 HMAC auth: X-BAPI-API-KEY, X-BAPI-TIMESTAMP, X-BAPI-RECV-WINDOW and X-BAPI-SIGN, the signature over
 * timestamp + key + recvWindow + (raw query for GET, raw body for POST), and
 * server_time - recv_window <= timestamp < server_time + 1000 on the server's (wall) clock.
 */
export function requireSignedRequest(keys: KeyRing, headers: Headers, signedPart: string, serverTime: number): ApiCredential {
  const apiKey = header(headers, 'x-bapi-api-key');
  const cred = apiKey === undefined ? undefined : keys.get(apiKey);
  if (!cred) throw BybitErrors.invalidKey();
  const timestamp = header(headers, 'x-bapi-timestamp');
  const recvWindowText = header(headers, 'x-bapi-recv-window');
  const sign = header(headers, 'x-bapi-sign');
  if (sign === undefined || timestamp === undefined) throw BybitErrors.badSignature();
  const payload = restPayload(timestamp, cred.apiKey, recvWindowText ?? '', signedPart);
  if (!signatureMatches(cred.secret, payload, sign)) throw BybitErrors.badSignature();
  if (!INTEGER.test(timestamp) || (recvWindowText !== undefined && !INTEGER.test(recvWindowText))) throw BybitErrors.timestamp(serverTime);
  const recvWindow = recvWindowText === undefined ? DEFAULT_RECV_WINDOW : Number(recvWindowText);
  const ts = Number(timestamp);
  if (ts >= serverTime + MAX_AHEAD_MS || serverTime - recvWindow > ts) throw BybitErrors.timestamp(serverTime);
  return cred;
}
