import { isSecretKey } from './secret-key.js';
import { REDACTED } from './secret-registry.js';

/**
 * Returns `value` with every property whose key looks secret (see isSecretKey)
 * replaced by "[redacted]", at any depth, in arrays too. Errors become plain
 * objects ({ type, message, stack, ...own fields, cause }) so their fields are
 * redacted as well. Copy-on-write: an input that needs no change is returned
 * as is, so the common case allocates nothing. Never mutates its input.
 *
 * null, undefined, booleans and empty strings under a secret key are left
 * alone: they carry no secret and "apiKey: null" is worth seeing when debugging.
 */
export function redactSecretKeys(value: unknown): unknown {
  return walk(value, 0, new Set());
}

/** Beyond this depth pino prints "[...]" anyway; stop walking there. */
const MAX_DEPTH = 32;

function walk(value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  if (value instanceof Error) return serializeError(value, depth, ancestors);
  if (ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set) return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    // JSON.stringify would call it anyway; walking its result keeps a class
    // with a custom toJSON from smuggling secret fields out.
    const json: unknown = toJSON.call(value);
    return json === value ? value : walk(json, depth, ancestors);
  }
  ancestors.add(value);
  try {
    return Array.isArray(value) ? walkArray(value, depth, ancestors) : walkObject(value, depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function walkArray(arr: readonly unknown[], depth: number, ancestors: Set<object>): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < arr.length; i++) {
    const item = arr[i];
    const next = walk(item, depth + 1, ancestors);
    if (next !== item && out === null) out = arr.slice(0, i);
    if (out !== null) out.push(next);
  }
  return out ?? (arr as unknown[]);
}

function walkObject(obj: object, depth: number, ancestors: Set<object>): object {
  let out: Record<string, unknown> | null = null;
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = (obj as Record<string, unknown>)[key];
    const next = redactField(key, item, depth, ancestors);
    if (next !== item && out === null) {
      out = {};
      for (let j = 0; j < i; j++) {
        const k = keys[j] as string;
        out[k] = (obj as Record<string, unknown>)[k];
      }
    }
    if (out !== null) out[key] = next;
  }
  return out ?? obj;
}

function redactField(key: string, value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (secretKey(key) && carriesSecret(value)) return REDACTED;
  return walk(value, depth + 1, ancestors);
}

function carriesSecret(value: unknown): boolean {
  return value !== null && value !== undefined && typeof value !== 'boolean' && value !== '';
}

function serializeError(err: Error, depth: number, ancestors: Set<object>): Record<string, unknown> {
  ancestors.add(err);
  try {
    const ctor = (err as { constructor?: { name?: unknown } }).constructor;
    const out: Record<string, unknown> = {
      type: typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : err.name,
      message: err.message,
      stack: err.stack,
    };
    for (const key of Object.keys(err)) {
      if (key in out) continue;
      out[key] = redactField(key, (err as unknown as Record<string, unknown>)[key], depth, ancestors);
    }
    // `cause` set through the constructor option is an own but non-enumerable property.
    if (!('cause' in out) && err.cause !== undefined) out.cause = walk(err.cause, depth + 1, ancestors);
    if (err instanceof AggregateError && Array.isArray(err.errors)) {
      out.aggregateErrors = walk(err.errors, depth + 1, ancestors);
    }
    return out;
  } finally {
    ancestors.delete(err);
  }
}

/** isSecretKey splits words with regexes; log keys repeat, so remember verdicts. */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 10_000;

function secretKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = isSecretKey(key);
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}
