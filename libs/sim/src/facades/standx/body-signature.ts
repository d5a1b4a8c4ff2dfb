/**
 * Verifies StandX's body signature on the venue side, written independently of our
 * adapter's signer (libs/venues) so a bug there is caught here, not mirrored:
 *   signature = base64(ed25519(utf8("v1,<x-request-id>,<x-request-timestamp>,<raw body>")))
 * checked with the account's public key, plus a freshness window on the timestamp and
 * a replay guard on the request id.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface SignatureHeaders {
  version: string | undefined;
  requestId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export type SignatureCheck = { ok: true } | { ok: false; status: 400 | 401; message: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** An ed25519 public key's SubjectPublicKeyInfo, less its 32 key bytes (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** Key objects by raw public key (hex): one per account, made once. */
const keyObjects = new Map<string, KeyObject>();

/**
 * node:crypto's (OpenSSL's) ed25519 verification: a fiftieth of a pure-JS one's CPU, which mattered to every signed
 * request a test or a fuzz run sends.
 */
function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  const hex = Buffer.from(publicKey).toString('hex');
  let key = keyObjects.get(hex);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    if (keyObjects.size >= 1_024) keyObjects.clear();
    keyObjects.set(hex, key);
  }
  return verify(null, message, key, signature);
}

/** Remembers (account, request id) pairs for as long as their timestamp could still pass the window. */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** True the first time a pair is seen; false on a replay. */
  claim(accountId: string, requestId: string, timestampMs: number, nowMs: number): boolean {
    this.prune(nowMs);
    const key = `${accountId}\u0000${requestId}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, timestampMs + this.windowMs);
    return true;
  }

  private prune(nowMs: number): void {
    if (this.seen.size < 4096) return;
    for (const [key, expiry] of this.seen) if (expiry < nowMs) this.seen.delete(key);
  }
}

export interface VerifyBodySignatureInput {
  headers: SignatureHeaders;
  rawBody: string;
  publicKey: Uint8Array;
  accountId: string;
  nowMs: number;
  windowMs: number;
  replay: ReplayGuard;
}

export function verifyBodySignature(input: VerifyBodySignatureInput): SignatureCheck {
  const { headers, rawBody, publicKey, nowMs, windowMs } = input;
  const { version, requestId, timestamp, signature } = headers;
  if (version === undefined || requestId === undefined || timestamp === undefined || signature === undefined) {
    return { ok: false, status: 400, message: 'missing body signature headers' };
  }
  if (version !== 'v1') return { ok: false, status: 400, message: `unsupported x-request-sign-version: ${version}` };
  if (requestId.length === 0 || requestId.length > 128) return { ok: false, status: 400, message: 'invalid x-request-id' };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, status: 400, message: 'invalid x-request-timestamp' };
  const ts = Number(timestamp);
  if (Math.abs(nowMs - ts) > windowMs) {
    return { ok: false, status: 401, message: 'request timestamp outside the allowed window' };
  }
  if (!BASE64.test(signature)) return { ok: false, status: 401, message: 'invalid body signature' };
  const sigBytes = Buffer.from(signature, 'base64');
  if (sigBytes.length !== 64) return { ok: false, status: 401, message: 'invalid body signature' };
  const message = Buffer.from(`${version},${requestId},${timestamp},${rawBody}`, 'utf8');
  let valid = false;
  try {
    valid = ed25519Verify(sigBytes, message, publicKey);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, status: 401, message: 'invalid body signature' };
  // Claimed only once the signature is genuine, so garbage cannot burn someone's id.
  if (!input.replay.claim(input.accountId, requestId, ts, nowMs)) {
    return { ok: false, status: 401, message: 'duplicate x-request-id (replayed request)' };
  }
  return { ok: true };
}
