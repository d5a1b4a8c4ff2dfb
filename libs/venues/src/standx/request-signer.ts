/**
 * StandX body signature (docs: "Perps Auth" → "Body Signature Flow").
 *
 * Every signed request carries
 *   x-request-sign-version: v1
 *   x-request-id:           unique per request
 *   x-request-timestamp:    epoch milliseconds
 *   x-request-signature:    base64(ed25519_sign(utf8("v1,<id>,<timestamp>,<payload>")))
 * where payload is the exact raw body sent (the empty string when there is none).
 *
 * The key StandX issues with an API token is an ed25519 secret in base58. It is a
 * 32-byte seed; a Solana-style 64-byte secret (seed || public key) is accepted too,
 * as the docs' Solana example uses the first 32 bytes of such a key.
 *
 * Pure: the request id and timestamp are inputs. `createStandxRequestSigner` wires in
 * a clock and an id source for callers that do not care.
 */
import { randomUUID } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base58, base64 } from '@scure/base';

export const STANDX_SIGN_VERSION = 'v1';

export interface StandxSignatureHeaders {
  'x-request-sign-version': string;
  'x-request-id': string;
  'x-request-timestamp': string;
  'x-request-signature': string;
}

export interface StandxSigningKey {
  /** 32-byte ed25519 seed. */
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  /** The public key in base58, as StandX shows it (and as the sign-in `requestId`). */
  readonly publicKeyBase58: string;
}

export class StandxKeyError extends Error {
  override name = 'StandxKeyError';
}

/** Decodes a base58 ed25519 secret. Errors never echo the key. */
export function parseStandxPrivateKey(privateKeyBase58: string): StandxSigningKey {
  let raw: Uint8Array;
  try {
    raw = base58.decode(privateKeyBase58.trim());
  } catch {
    throw new StandxKeyError('StandX private key is not valid base58');
  }
  let secretKey: Uint8Array;
  if (raw.length === 32) secretKey = raw;
  else if (raw.length === 64) {
    secretKey = raw.slice(0, 32);
    const derived = ed25519.getPublicKey(secretKey);
    if (!bytesEqual(derived, raw.slice(32))) {
      throw new StandxKeyError('StandX private key (64 bytes) does not match its embedded public key');
    }
  } else {
    throw new StandxKeyError(`StandX private key must decode to 32 or 64 bytes, got ${raw.length}`);
  }
  const publicKey = ed25519.getPublicKey(secretKey);
  return { secretKey, publicKey, publicKeyBase58: base58.encode(publicKey) };
}

/** The exact text that is signed. */
export function standxSignaturePayload(requestId: string, timestamp: number, body: string): string {
  return `${STANDX_SIGN_VERSION},${requestId},${timestamp},${body}`;
}

export interface SignStandxRequestInput {
  key: StandxSigningKey;
  requestId: string;
  /** Epoch ms. */
  timestamp: number;
  /** The raw body exactly as it goes on the wire ('' for none). */
  body: string;
}

export function signStandxRequest({ key, requestId, timestamp, body }: SignStandxRequestInput): StandxSignatureHeaders {
  if (requestId.length === 0 || requestId.includes(',')) {
    // A comma would make the signed text ambiguous.
    throw new Error('StandX x-request-id must be non-empty and contain no comma');
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new Error(`StandX x-request-timestamp must be a non-negative integer of ms, got ${timestamp}`);
  }
  const message = new TextEncoder().encode(standxSignaturePayload(requestId, timestamp, body));
  const signature = ed25519.sign(message, key.secretKey);
  return {
    'x-request-sign-version': STANDX_SIGN_VERSION,
    'x-request-id': requestId,
    'x-request-timestamp': String(timestamp),
    'x-request-signature': base64.encode(signature),
  };
}

export interface StandxRequestSignerOptions {
  now?: () => number;
  newRequestId?: () => string;
}

export interface StandxRequestSigner {
  readonly publicKeyBase58: string;
  /** Headers for one request with this raw body; a fresh id and the current time each call. */
  sign(body: string): StandxSignatureHeaders;
}

export function createStandxRequestSigner(
  privateKeyBase58: string,
  { now = Date.now, newRequestId = randomUUID }: StandxRequestSignerOptions = {},
): StandxRequestSigner {
  const key = parseStandxPrivateKey(privateKeyBase58);
  return {
    publicKeyBase58: key.publicKeyBase58,
    sign: (body) => signStandxRequest({ key, requestId: newRequestId(), timestamp: now(), body }),
  };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
