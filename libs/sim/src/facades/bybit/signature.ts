import { createHmac, timingSafeEqual } from 'node:crypto';

/** Hex HMAC-SHA256, Bybit's signature for REST (over timestamp+key+recvWindow+payload) and WS auth. */
export function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

/** The REST pre-sign string: timestamp + apiKey + recvWindow + (query string for GET | raw body for POST). */
export function restPayload(timestamp: string, apiKey: string, recvWindow: string, queryOrBody: string): string {
  return `${timestamp}${apiKey}${recvWindow}${queryOrBody}`;
}

/** WS auth signs "GET/realtime" + expires. */
export function wsAuthPayload(expires: string): string {
  return `GET/realtime${expires}`;
}

/** Constant-time comparison of a client's hex signature (case-insensitive) with the expected one. */
export function signatureMatches(secret: string, payload: string, signature: string): boolean {
  const sig = signature.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sig)) return false;
  return timingSafeEqual(Buffer.from(hmacHex(secret, payload), 'hex'), Buffer.from(sig, 'hex'));
}
