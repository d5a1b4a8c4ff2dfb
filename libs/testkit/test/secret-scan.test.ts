import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SecretScanner, describeFindings, secretNeedles } from '../src/secret-scan.js';

const API_SECRET = { name: 'venue apiSecret', value: 'S3cr3t-Api/Value+With"Quotes and space-9f8e7d6c' };
const HEX_KEY = { name: 'grvt signerPrivateKey', value: `0x${'a1b2c3d4e5f60718'.repeat(4)}` };
const DEMO_KEY = { name: 'demo apiKey', value: `pSimDemoKey${'0'.repeat(40)}1` };

const encodingsFound = (text: string, secret = API_SECRET) => new SecretScanner([secret]).scan('t', text).map((f) => f.encoding);

describe('secret scan', () => {
  it('finds a secret plain, JSON-escaped once and twice, URL-encoded, base64 (alone and inside a blob), base64url and hex', () => {
    const v = API_SECRET.value;
    expect(encodingsFound(`key=${v};`)).toContain('plain');
    expect(encodingsFound(JSON.stringify({ k: v }))).toContain('json-escaped');
    expect(encodingsFound(JSON.stringify(JSON.stringify({ k: v })))).toContain('json-escaped twice');
    expect(encodingsFound(`/x?sig=${encodeURIComponent(v)}`)).toContain('url-encoded');
    expect(encodingsFound(`a=${encodeURIComponent(v).replace(/%20/g, '+')}`)).toContain('url-encoded');
    expect(encodingsFound(Buffer.from(v).toString('base64'))).toContain('base64');
    // Inside a larger blob at every alignment, as in a Basic auth header "user:secret".
    for (const prefix of ['u:', 'us:', 'use:']) expect(encodingsFound(`Basic ${Buffer.from(prefix + v + ':tail').toString('base64')}`)).toContain('base64');
    // base64url where it differs from base64 (a '+' or '/' in the standard form), else the same text.
    for (const prefix of ['', 'x', 'xy']) expect(encodingsFound(Buffer.from(prefix + v).toString('base64url')).some((e) => e === 'base64url' || e === 'base64')).toBe(true);
    const slashy = { name: 'slashy', value: 'key>>>???~~~secret' };
    expect(encodingsFound(Buffer.from(slashy.value).toString('base64url'), slashy)).toContain('base64url');
    expect(encodingsFound(Buffer.from(v).toString('hex').toUpperCase())).toContain('hex');
  });

  it('finds a long key by its first or last characters alone, a hex key in either case and without 0x', () => {
    expect(encodingsFound(`error: key ${API_SECRET.value.slice(0, 10)}… rejected`)).toEqual(['prefix']);
    expect(encodingsFound(`…${API_SECRET.value.slice(-10)}`)).toEqual(['suffix']);
    expect(encodingsFound(HEX_KEY.value.toUpperCase().replace('0X', '0x'), HEX_KEY)).toContain('plain');
    expect(encodingsFound(`signer=${HEX_KEY.value.slice(2)}`, HEX_KEY)).toContain('plain without 0x');
    expect(encodingsFound(`expected valid private key: 1 <= n < 1157, got ${BigInt(HEX_KEY.value).toString()}`, HEX_KEY)).toEqual(['decimal']);
  });

  it("grows a fragment past a demo key's run of zeros, so ordinary numbers do not match", () => {
    const suffix = secretNeedles(DEMO_KEY).find((n) => n.encoding === 'suffix')!;
    expect(suffix.text.length).toBeGreaterThan(8);
    expect(encodingsFound('price 100000000.00000001 qty 0.00000001', DEMO_KEY)).toEqual([]);
  });

  it("looks for a JWT by its signature, not by the header every JWT shares", () => {
    const jwt = { name: 'standx token', value: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.mwgXgJB5AjXnUhTAzJETIMGkSHAWUY5auuY7mdiqWi4' };
    expect(encodingsFound('Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvdGhlciJ9.c2lnbmF0dXJlLW90aGVy', jwt)).toEqual([]);
    expect(encodingsFound('sig mwgXgJB5AjXn…', jwt)).toEqual(['prefix']);
  });

  it('scans bytes, gzip unpacked too, and says where, with the match masked in the excerpt', () => {
    const s = new SecretScanner([API_SECRET, HEX_KEY]);
    s.scan('clean.ndjson.gz', gzipSync(Buffer.from('{"kind":"book"}\n'.repeat(100))));
    s.scan('leaky.ndjson.gz', gzipSync(Buffer.from(`{"k":${JSON.stringify(API_SECRET.value)}}\n`)));
    expect(s.findings.map((f) => `${f.where}:${f.encoding}`)).toContain('leaky.ndjson.gz (gunzipped):json-escaped');
    expect(s.findings.every((f) => !f.excerpt.includes(API_SECRET.value))).toBe(true);
    expect(describeFindings(s.findings)).toContain('venue apiSecret');
    expect(s.stats.sources).toBe(4);
  });

  it('finds nothing in text without the secrets, and refuses a secret too short to scan for', () => {
    expect(new SecretScanner([API_SECRET, HEX_KEY, DEMO_KEY]).scan('t', 'plain log line {"level":30,"msg":"quote placed","apiKey":"[redacted]"}')).toEqual([]);
    expect(() => new SecretScanner([{ name: 'short', value: 'abc' }])).toThrow(/too short/);
  });
});
