import type { BinanceFacade } from '../../src/facades/binance/index.js';
import { signPayload } from '../../src/facades/binance/signature.js';

/** A Binance error body as the façade answers it. */
export interface WireAnswer {
  status: number;
  body: unknown;
}

export interface SignedRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Query parameters, sent as written (the signature and a fresh timestamp are appended when `sign`). */
  query?: string;
  /** Raw body, sent as written, and signed as written when it is a form body. */
  body?: string;
  contentType?: string;
  /** Add timestamp + signature (default true); false sends the request unsigned. */
  sign?: boolean;
  apiKey?: string;
  secret?: string;
}

/**
 * One raw REST request to the façade, signed the way Binance wants (HMAC over query + body,
 * exactly as sent), so tests can send what no well-behaved client would.
 */
export async function binanceRequest(facade: BinanceFacade, req: SignedRequest): Promise<WireAnswer> {
  const sign = req.sign ?? true;
  const body = req.body ?? '';
  const contentType = req.contentType ?? 'application/x-www-form-urlencoded';
  let query = req.query ?? '';
  if (sign) {
    query = query === '' ? `timestamp=${Date.now()}` : `${query}&timestamp=${Date.now()}`;
    const signedBody = contentType.startsWith('application/x-www-form-urlencoded') ? body : '';
    query += `&signature=${signPayload(req.secret ?? facade.credentials.secret, query + signedBody)}`;
  }
  const res = await fetch(`${facade.restUrl}${req.path}${query === '' ? '' : `?${query}`}`, {
    method: req.method,
    headers: { 'X-MBX-APIKEY': req.apiKey ?? facade.credentials.apiKey, ...(body !== '' ? { 'Content-Type': contentType } : {}) },
    ...(body !== '' ? { body } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}
