import { createPrivateKey, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base58, base64 } from '@scure/base';
import {
  StandxKeyError,
  createStandxRequestSigner,
  parseStandxPrivateKey,
  signStandxRequest,
  standxSignaturePayload,
} from '../../src/standx/request-signer.js';

// Seed bytes 0..31. StandX's docs give no test vector; the expected signatures below were
// produced by node:crypto's own ed25519 (an implementation independent of @noble), and
// ed25519 is deterministic, so any correct signer must reproduce them byte for byte.
const SEED = Uint8Array.from({ length: 32 }, (_, i) => i);
const KEY_B58 = base58.encode(SEED);
const PUBLIC_HEX = '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8';

function nodeKeys(seed: Uint8Array) {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed)]);
  const priv = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { priv, pub: createPublicKey(priv) };
}

describe('StandX request signer', () => {
  it('parses a base58 32-byte seed and derives the public key', () => {
    const key = parseStandxPrivateKey(KEY_B58);
    expect(Buffer.from(key.secretKey).toString('hex')).toBe(Buffer.from(SEED).toString('hex'));
    expect(Buffer.from(key.publicKey).toString('hex')).toBe(PUBLIC_HEX);
    expect(base58.decode(key.publicKeyBase58)).toEqual(key.publicKey);
  });

  it('accepts a Solana-style 64-byte secret (seed || public key) and rejects a mismatched one', () => {
    const key = parseStandxPrivateKey(KEY_B58);
    const full = new Uint8Array(64);
    full.set(SEED, 0);
    full.set(key.publicKey, 32);
    expect(parseStandxPrivateKey(base58.encode(full)).publicKeyBase58).toBe(key.publicKeyBase58);
    full[63] = full[63]! ^ 1;
    expect(() => parseStandxPrivateKey(base58.encode(full))).toThrow(StandxKeyError);
  });

  it('rejects bad keys without echoing them', () => {
    for (const bad of ['', '0OIl', base58.encode(new Uint8Array(31)), base58.encode(new Uint8Array(33))]) {
      try {
        parseStandxPrivateKey(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(StandxKeyError);
        if (bad.length > 4) expect((e as Error).message).not.toContain(bad);
      }
    }
  });

  it('builds the signed text as v1,<id>,<timestamp>,<raw body>', () => {
    expect(standxSignaturePayload('abc', 1700000000000, '{"a":1}')).toBe('v1,abc,1700000000000,{"a":1}');
    expect(standxSignaturePayload('abc', 1, '')).toBe('v1,abc,1,');
  });

  it('matches fixed vectors (fixed key, id, timestamp, body)', () => {
    const key = parseStandxPrivateKey(KEY_B58);
    expect(signStandxRequest({ key, requestId: 'req-1', timestamp: 1700000000000, body: '{"qty":"0.1"}' })).toEqual({
      'x-request-sign-version': 'v1',
      'x-request-id': 'req-1',
      'x-request-timestamp': '1700000000000',
      'x-request-signature': 'Ck6QSNPZzx7t+k67o8E8Zkho1GJuCQqo7aDW1FUf8piTRKPMn1zrddgfB0k/67+VtrlRANd7MPimqcJ8WemmDg==',
    });
    const body =
      '{"symbol":"BTC-USD","side":"buy","order_type":"limit","qty":"0.1","price":"50000","time_in_force":"gtc","reduce_only":false}';
    const h = signStandxRequest({ key, requestId: '5f0c7a2e-1b9d-4c57-9a0e-3f1d2c4b5a69', timestamp: 1767225600000, body });
    expect(h['x-request-signature']).toBe(
      '4US38pXFrOh4Fhr9M85/CIDbEqtIuRGwkGD6PeiACLQELbjKEvzOXX1UasmWJ4NgWL5RI7kjRQ4Ve+Z1Dy52Cg==',
    );
  });

  it('property: every signature verifies with node:crypto over the documented text, and only that text', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.stringMatching(/^[A-Za-z0-9-]{1,40}$/),
        fc.integer({ min: 0, max: 2 ** 45 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        (seed, requestId, timestamp, body) => {
          const key = parseStandxPrivateKey(base58.encode(seed));
          const h = signStandxRequest({ key, requestId, timestamp, body });
          const sig = Buffer.from(base64.decode(h['x-request-signature']));
          const { pub } = nodeKeys(seed);
          const text = (b: string) => Buffer.from(`v1,${requestId},${timestamp},${b}`, 'utf8');
          expect(nodeVerify(null, text(body), pub, sig)).toBe(true);
          expect(nodeVerify(null, text(body + ' '), pub, sig)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses ids that would make the signed text ambiguous and bad timestamps', () => {
    const key = parseStandxPrivateKey(KEY_B58);
    expect(() => signStandxRequest({ key, requestId: '', timestamp: 1, body: '' })).toThrow();
    expect(() => signStandxRequest({ key, requestId: 'a,b', timestamp: 1, body: '' })).toThrow();
    expect(() => signStandxRequest({ key, requestId: 'a', timestamp: 1.5, body: '' })).toThrow();
    expect(() => signStandxRequest({ key, requestId: 'a', timestamp: -1, body: '' })).toThrow();
  });

  it('the convenience signer issues a fresh id and the current time per call', () => {
    let t = 1_000;
    const signer = createStandxRequestSigner(KEY_B58, { now: () => t++ });
    const a = signer.sign('{}');
    const b = signer.sign('{}');
    expect(a['x-request-id']).not.toBe(b['x-request-id']);
    expect(a['x-request-timestamp']).toBe('1000');
    expect(b['x-request-timestamp']).toBe('1001');
    expect(signer.publicKeyBase58).toBe(parseStandxPrivateKey(KEY_B58).publicKeyBase58);
  });
});
