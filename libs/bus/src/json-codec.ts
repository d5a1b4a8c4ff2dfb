import type { ZodType } from 'zod';

/**
 * The wire format of the bus: JSON text. Both implementations encode and
 * decode through here, so a message that would fail across processes fails
 * in-process too.
 */
export function encodeJson(message: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(message);
  } catch (err) {
    // e.g. a bigint or a cycle: say so plainly rather than publish garbage.
    throw new TypeError(`message is not JSON-serializable: ${err instanceof Error ? err.message : String(err)}`);
  }
  // JSON.stringify(undefined) and of functions returns undefined, not text.
  if (text === undefined) throw new TypeError('message is not JSON-serializable: nothing to encode');
  return text;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses JSON text and validates it; never throws. */
export function decodeJson<T>(text: string, schema: ZodType<T>): Decoded<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  return validate(raw, schema);
}

/** Validates an already-parsed value; never throws. */
export function validate<T>(raw: unknown, schema: ZodType<T>): Decoded<T> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: formatIssues(result.error.issues) };
}

/** One short line per zod issue: `path: message`. */
export function formatIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 JSON bytes (as they come off a socket) and validates them; never throws. */
export function decodeJsonBytes<T>(data: Uint8Array, schema: ZodType<T>): Decoded<T> {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return { ok: false, error: 'not JSON (invalid UTF-8)' };
  }
  return decodeJson(text, schema);
}
