/**
 * Process-wide list of secret values (API keys, private keys, passwords) that
 * must never appear in a log line. The config loader registers every value it
 * knows to be secret; the logger masks any occurrence of them in its output,
 * wherever it hides (message, error stack, nested field, child binding).
 */

export const REDACTED = '[redacted]';

/**
 * Values shorter than this are not masked: masking "abc" everywhere would
 * garble logs without protecting anything worth the name. Such values are
 * still redacted when they sit under a secret-looking key.
 */
export const MIN_SECRET_LENGTH = 4;

const secrets = new Set<string>();
let pattern: RegExp | null = null;

/** Adds a value to the registry; returns false if it is too short to be masked. */
export function registerSecret(value: string): boolean {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return false;
  if (!secrets.has(value)) {
    secrets.add(value);
    pattern = null;
  }
  return true;
}

export function hasRegisteredSecrets(): boolean {
  return secrets.size > 0;
}

/**
 * Replaces every occurrence of a registered secret in `text` with "[redacted]".
 * Also matches the secret as it appears once or twice JSON-escaped, since that
 * is how it shows up inside a JSON log line (or a JSON string logged as a string).
 */
export function maskRegisteredSecrets(text: string): string {
  if (secrets.size === 0) return text;
  pattern ??= buildPattern();
  return text.replace(pattern, REDACTED);
}

function buildPattern(): RegExp {
  const forms = new Set<string>();
  for (const s of secrets) {
    const once = JSON.stringify(s).slice(1, -1);
    const twice = JSON.stringify(once).slice(1, -1);
    forms.add(s).add(once).add(twice);
  }
  // Longest first, so an escaped form wins over the raw form it starts with.
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join('|'), 'g');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
