import { isSecretKey } from '@perpetua/telemetry';

/**
 * How the dashboard shows a secret: enough to tell which key is set
 * (`abcd…wxyz`), never enough to use it. Short secrets show less, very short
 * ones nothing, since a few characters are a real share of them.
 */
export function displayMask(value: string): string {
  if (value.length >= 24) return `${value.slice(0, 4)}…${value.slice(-4)}`;
  if (value.length >= 12) return `${value.slice(0, 2)}…${value.slice(-2)}`;
  return '…';
}

/** A copy of a config object with every value under a secret-named key masked, at any depth. */
export function maskSecrets(value: unknown, underSecret = false): unknown {
  if (typeof value === 'string') return underSecret ? displayMask(value) : value;
  if ((typeof value === 'number' || typeof value === 'bigint') && underSecret) return displayMask(String(value));
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, underSecret));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, underSecret || isSecretKey(k))]));
  }
  return value;
}

/**
 * Merges an edited entry with the stored one for secret keys: a secret the
 * client left out, or sent back as the mask it was shown, keeps its stored
 * value (the client never had it); null removes it; any other value replaces it.
 */
export function mergeSecrets(edited: Record<string, unknown>, stored: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...edited };
  const keys = new Set([...Object.keys(edited), ...Object.keys(stored ?? {})]);
  for (const k of keys) {
    if (!isSecretKey(k)) continue;
    const before = stored?.[k];
    const after = edited[k];
    if (after === null) delete out[k];
    else if (after === undefined || (typeof before === 'string' && after === displayMask(before))) {
      if (before === undefined) delete out[k];
      else out[k] = before;
    }
  }
  return out;
}
