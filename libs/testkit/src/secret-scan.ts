import { gunzipSync } from 'node:zlib';

/**
 * A secret scan for test runs: given the secrets a test seeded (API keys,
 * private keys, tokens), finds them in whatever a running stack emitted (log
 * lines, metrics text, API responses, WebSocket frames, pages, recordings,
 * files), in the forms a leak usually takes: the value itself, base64 (also
 * inside a larger base64 blob, e.g. a Basic auth header), hex, URL-encoded,
 * JSON-escaped, and for long keys their first and last characters alone (a
 * truncated key in an error message is still a leak). The chaos run and the
 * secret-scan test share it.
 */
export interface SeededSecret {
  /** What the secret is, for the report (never the value): "binanceusdm apiKey (env)". */
  name: string;
  value: string;
}

export type SecretEncoding =
  | 'plain'
  | 'plain without 0x'
  | 'decimal'
  | 'base64'
  | 'base64url'
  | 'hex'
  | 'url-encoded'
  | 'json-escaped'
  | 'json-escaped twice'
  | 'prefix'
  | 'suffix';

/** One text to look for: a form of one secret. */
export interface SecretNeedle {
  secret: string;
  encoding: SecretEncoding;
  text: string;
  /** Compare case-insensitively (hex keys, which tools print in either case). */
  ignoreCase: boolean;
}

export interface SecretFinding {
  /** The secret's name (SeededSecret.name). */
  secret: string;
  encoding: SecretEncoding;
  /** Where the text came from, as the caller named it ("GET /api/config", "stderr", a file path). */
  where: string;
  offset: number;
  /** Up to 40 characters either side, the match itself replaced by ‹name/encoding›. */
  excerpt: string;
}

/** Secrets at least this long are also looked for by their first and last characters. */
export const FRAGMENT_MIN_SECRET_LENGTH = 16;
/** A fragment is at least this long (and grows until it says enough: see fragmentLength). */
export const FRAGMENT_MIN_LENGTH = 8;
/** Secrets shorter than this cannot be scanned for without matching ordinary text; seedSecrets refuses them. */
export const MIN_SCANNED_SECRET_LENGTH = 8;

const HEX_KEY = /^(0x)?[0-9a-fA-F]+$/;
const JWT = /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/;

/** Every form of `secret` the scan looks for, each once. */
export function secretNeedles(secret: SeededSecret): SecretNeedle[] {
  const v = secret.value;
  if (v.length < MIN_SCANNED_SECRET_LENGTH) throw new Error(`secret ${secret.name} is ${v.length} characters: too short to scan for (at least ${MIN_SCANNED_SECRET_LENGTH})`);
  const hexKey = HEX_KEY.test(v);
  const out: SecretNeedle[] = [];
  const seen = new Set<string>();
  const add = (encoding: SecretEncoding, text: string, ignoreCase = hexKey) => {
    const key = ignoreCase ? text.toLowerCase() : text;
    if (text.length === 0 || seen.has(key)) return;
    seen.add(key);
    out.push({ secret: secret.name, encoding, text, ignoreCase });
  };
  add('plain', v);
  if (hexKey && v.startsWith('0x')) add('plain without 0x', v.slice(2));
  // A hex key as the integer it is: what a curve library prints when it refuses one.
  if (hexKey && v.replace(/^0x/, '').length >= 16) add('decimal', BigInt(v.startsWith('0x') ? v : `0x${v}`).toString(10), false);
  const bytes = Buffer.from(v, 'utf8');
  for (const b64 of embeddedBase64(bytes)) {
    add('base64', b64, false);
    add('base64url', b64.replace(/\+/g, '-').replace(/\//g, '_'), false);
  }
  add('hex', bytes.toString('hex'), true);
  add('url-encoded', encodeURIComponent(v), false);
  add('url-encoded', encodeURIComponent(v).replace(/%20/g, '+'), false);
  const once = JSON.stringify(v).slice(1, -1);
  add('json-escaped', once, false);
  add('json-escaped twice', JSON.stringify(once).slice(1, -1), false);
  if (v.length >= FRAGMENT_MIN_SECRET_LENGTH) {
    // A JWT starts with a header every JWT shares (eyJhbGciOi...): its signature is the part that is this token's own.
    const start = JWT.test(v) ? v.slice(v.lastIndexOf('.') + 1) : v;
    const end = hexKey && v.startsWith('0x') ? v.slice(2) : v;
    add('prefix', start.slice(0, fragmentLength(start, 'start')));
    add('suffix', end.slice(-fragmentLength(end, 'end')));
  }
  return out;
}

/**
 * The base64 of `bytes` as it appears at each of the three byte alignments
 * inside a longer base64 text, with the characters that also depend on the
 * neighbouring bytes cut off.
 */
function embeddedBase64(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const from = Math.ceil((8 * shift) / 6);
    const to = Math.floor((8 * (shift + bytes.length)) / 6);
    const inner = b64.slice(from, to);
    if (inner.length >= FRAGMENT_MIN_LENGTH) forms.push(inner);
  }
  return forms;
}

/**
 * How many characters from one end identify the secret: at least 8, grown
 * while the fragment has fewer than 6 distinct characters (a demo key's run of
 * zeros says nothing), at most half the secret.
 */
function fragmentLength(v: string, end: 'start' | 'end'): number {
  const max = Math.max(FRAGMENT_MIN_LENGTH, Math.floor(v.length / 2));
  let n = FRAGMENT_MIN_LENGTH;
  const frag = (k: number) => (end === 'start' ? v.slice(0, k) : v.slice(-k));
  while (n < max && new Set(frag(n)).size < 6) n++;
  return n;
}

/** Collects findings over many texts; one scanner per run. */
export class SecretScanner {
  readonly needles: readonly SecretNeedle[];
  private readonly found: SecretFinding[] = [];
  private scannedSources = 0;
  private scannedChars = 0;

  constructor(secrets: readonly SeededSecret[]) {
    if (secrets.length === 0) throw new Error('a secret scan needs at least one seeded secret');
    this.needles = secrets.flatMap(secretNeedles);
  }

  /** Scans one text or byte buffer (gzip is scanned unpacked as well); returns this text's findings. */
  scan(where: string, content: string | Uint8Array): SecretFinding[] {
    if (typeof content === 'string') return this.scanText(where, content);
    const buf = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    // UTF-8: ASCII secrets survive any bytes around them, and excerpts of text read as text.
    const found = this.scanText(where, buf.toString('utf8'));
    if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
      let unpacked: Buffer | undefined;
      try {
        unpacked = gunzipSync(buf);
      } catch {
        // a truncated gzip (a recording still being written): its packed bytes were scanned above
      }
      if (unpacked) found.push(...this.scanText(`${where} (gunzipped)`, unpacked.toString('utf8')));
    }
    return found;
  }

  private scanText(where: string, text: string): SecretFinding[] {
    this.scannedSources++;
    this.scannedChars += text.length;
    const lower = this.needles.some((n) => n.ignoreCase) ? text.toLowerCase() : text;
    const found: SecretFinding[] = [];
    for (const n of this.needles) {
      const hay = n.ignoreCase ? lower : text;
      const needle = n.ignoreCase ? n.text.toLowerCase() : n.text;
      // A few per needle and text are enough to locate a leak.
      for (let at = hay.indexOf(needle), k = 0; at >= 0 && k < 5; at = hay.indexOf(needle, at + needle.length), k++) {
        const excerpt = `${text.slice(Math.max(0, at - 40), at)}‹${n.secret}/${n.encoding}›${text.slice(at + needle.length, at + needle.length + 40)}`;
        found.push({ secret: n.secret, encoding: n.encoding, where, offset: at, excerpt: excerpt.replace(/\s+/g, ' ') });
      }
    }
    this.found.push(...found);
    return found;
  }

  get findings(): readonly SecretFinding[] {
    return this.found;
  }

  /** How much was scanned: a scan that saw nothing proves nothing. */
  get stats(): { sources: number; chars: number } {
    return { sources: this.scannedSources, chars: this.scannedChars };
  }
}

/** One line per finding, for a test failure message. */
export function describeFindings(findings: readonly SecretFinding[]): string {
  return findings.map((f) => `${f.secret} (${f.encoding}) in ${f.where} at ${f.offset}: ${f.excerpt}`).join('\n');
}
