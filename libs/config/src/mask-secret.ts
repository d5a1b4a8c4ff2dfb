/**
 * Shows that a credential is set, and which one, without showing it.
 * Long values keep two characters at each end ("ab****yz"); values shorter
 * than LONG_ENOUGH are fully masked, since a few characters of a short secret
 * are a real share of it.
 */
export function maskSecret(value: string): string {
  return value.length >= LONG_ENOUGH ? `${value.slice(0, 2)}****${value.slice(-2)}` : '****';
}

/** For error messages: only the last two characters survive, and only of long values. */
export function maskSecretTail(value: string): string {
  return value.length >= LONG_ENOUGH ? `****${value.slice(-2)}` : '****';
}

const LONG_ENOUGH = 16;
