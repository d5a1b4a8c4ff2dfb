import { z } from 'zod';
import { BinanceErrors } from './errors.js';
import { type RawParams, parseParams, P } from './request-params.js';
import { signedPayload, verifySignature } from './signature.js';

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

const API_KEY_FORMAT = /^[\x21-\x7e]{1,128}$/;
const MAX_RECV_WINDOW = 60_000;
const DEFAULT_RECV_WINDOW = 5_000;
/** Binance refuses timestamps more than 1 s ahead of its clock. */
const MAX_AHEAD_MS = 1_000;

const SignedParams = z.object({
  timestamp: P.integer,
  signature: z.string().min(1),
  recvWindow: P.integer.optional(),
});

/** USER_STREAM / MARKET_DATA security: the API key alone (header X-MBX-APIKEY). */
export function requireApiKey(keys: KeyRing, header: string | string[] | undefined): ApiCredential {
  const apiKey = Array.isArray(header) ? header[0] : header;
  if (apiKey === undefined || !API_KEY_FORMAT.test(apiKey)) throw BinanceErrors.badApiKeyFormat();
  const cred = keys.get(apiKey);
  if (!cred) throw BinanceErrors.rejectedApiKey();
  return cred;
}

/**
 * TRADE / USER_DATA security: API key, then an HMAC-SHA256 signature over query + body,
 * then `timestamp` within `recvWindow` of the server clock (which is wall time: clients sign
 * with their own wall clock whatever the simulated world's clock says).
 */
export function requireSignature(
  keys: KeyRing,
  header: string | string[] | undefined,
  params: RawParams,
  rawQuery: string,
  rawBody: string,
  serverTime: number,
): ApiCredential {
  const cred = requireApiKey(keys, header);
  const p = parseParams(SignedParams, params);
  const { payload, signature } = signedPayload(rawQuery, rawBody);
  if (signature === undefined || !verifySignature(cred.secret, payload, signature)) throw BinanceErrors.badSignature();
  const recvWindow = p.recvWindow === undefined ? DEFAULT_RECV_WINDOW : Number(p.recvWindow);
  if (recvWindow > MAX_RECV_WINDOW || recvWindow <= 0) throw BinanceErrors.recvWindowTooLarge();
  const ts = Number(p.timestamp);
  if (ts > serverTime + MAX_AHEAD_MS) throw BinanceErrors.timestampAhead();
  if (serverTime - ts > recvWindow) throw BinanceErrors.timestampOutside();
  return cred;
}
