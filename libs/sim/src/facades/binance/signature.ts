import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Binance's HMAC-SHA256 request signature: hex of HMAC(secret, totalParams), where
 * totalParams is the query string concatenated with the request body, exactly as sent,
 * without the `signature` parameter itself.
 */
export function signPayload(secret: string, totalParams: string): string {
  return createHmac('sha256', secret).update(totalParams, 'utf8').digest('hex');
}

const SIGNATURE_PARAM = /(^|&)signature=([^&]*)/;

/** Removes `signature=…` from a raw query or body, returning the rest and the signature found. */
export function stripSignature(raw: string): { rest: string; signature: string | undefined } {
  const m = SIGNATURE_PARAM.exec(raw);
  if (!m) return { rest: raw, signature: undefined };
  const before = raw.slice(0, m.index);
  const after = raw.slice(m.index + m[0].length);
  // Keep the separators of the remaining params intact ("a=1&signature=x&b=2" -> "a=1&b=2").
  const rest = before === '' ? after.replace(/^&/, '') : after === '' ? before : `${before}${after}`;
  return { rest, signature: m[2] };
}

/** The payload a client signed and the signature it sent (from the query or the body). */
export function signedPayload(rawQuery: string, rawBody: string): { payload: string; signature: string | undefined } {
  const q = stripSignature(rawQuery);
  const b = stripSignature(rawBody);
  return { payload: q.rest + b.rest, signature: q.signature ?? b.signature };
}

export function verifySignature(secret: string, payload: string, signature: string): boolean {
  let sig: string;
  try {
    sig = decodeURIComponent(signature).toLowerCase();
  } catch {
    return false;
  }
  if (!/^[0-9a-f]{64}$/.test(sig)) return false;
  const expected = Buffer.from(signPayload(secret, payload), 'hex');
  return timingSafeEqual(expected, Buffer.from(sig, 'hex'));
}
