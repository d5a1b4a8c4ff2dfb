/**
 * Names for the last-value store. Bucket names are code constants, so a bad
 * one is an error; keys come from data (venues, symbols, accounts), so any
 * string is accepted and encoded into the characters a JetStream KV key allows.
 */
const BUCKET = /^[A-Za-z0-9_-]+$/;

export function assertBucketName(bucket: string): void {
  if (!BUCKET.test(bucket)) throw new Error(`invalid last-value bucket name ${JSON.stringify(bucket)}: use letters, digits, '-' and '_'`);
}

const SAFE = /[-/_.a-zA-Z0-9]/;

/**
 * Encodes a key into [-/_=.a-zA-Z0-9] without empty tokens (KV keys are subject
 * tokens). '=' is the escape, `=XX` one UTF-8 byte in hex, so the mapping is
 * injective: '=' itself, other characters, and a '.' that would start, end or
 * double a token are escaped. The empty key becomes '=' (unreachable otherwise).
 */
export function encodeKvKey(key: string): string {
  if (key === '') return '=';
  let out = '';
  const chars = [...key];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const emptyToken = c === '.' && (i === 0 || i === chars.length - 1 || chars[i + 1] === '.');
    if (SAFE.test(c) && !emptyToken) out += c;
    else for (const b of new TextEncoder().encode(c)) out += `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
