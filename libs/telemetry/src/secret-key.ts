/**
 * Decides whether a property name (log field, config key, HTTP header, env var)
 * names a secret. The logger redacts such properties and the config loader
 * treats them as secret, so both share this one rule.
 *
 * The rule works on the key's words, not on substrings, so that `tokenBucket`,
 * `tokenAddress`, `signatureVersion`, `publicKey` or `privateKeyPath` stay
 * visible while `apiKey`, `API_KEY`, `x-api-key`, `accessToken`, `clientSecret`
 * and `X-Request-Signature` are hidden. The key is split into lower-case words
 * (camelCase, snake_case, kebab-case, dots, spaces) and it is secret when:
 *  - any word is inherently secret: secret, password, passwd, passphrase,
 *    mnemonic, credential, cookie, authorization, apikey, privkey... ; or
 *  - its last word (the noun the key is about) is a secret noun: token, jwt,
 *    auth, signature, bearer; or
 *  - its last word is `key` (or `sign`, `phrase`) qualified by a word that makes
 *    it secret: api/private/secret/signing/access... key, seed/recovery phrase;
 *    a bare `key`, `sign` (often +1/-1 in trading) or `seed` (an RNG seed) is
 *    not a secret.
 * A trailing plural `s` is ignored (`tokens`, `apiKeys`, `cookies`).
 */
export function isSecretKey(key: string): boolean {
  if (key.length === 0) return false;
  const words = splitWords(key);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (words.some((w) => ALWAYS_SECRET.has(w))) return true;
  if (SECRET_NOUNS.has(last)) return true;
  const qualifiers = QUALIFIED_NOUNS.get(last);
  if (qualifiers !== undefined && words.length > 1) {
    const before = words[words.length - 2];
    return before !== undefined && (qualifiers === 'any' || qualifiers.has(before));
  }
  return false;
}

/** Words that make any key containing them secret, wherever they stand. */
const ALWAYS_SECRET = new Set([
  'secret',
  'password',
  'passwd',
  'passphrase',
  'mnemonic',
  'credential',
  'cookie',
  'authorization',
  'apikey',
  'privkey',
  'privatekey',
  'secretkey',
  'accesskey',
  'signingkey',
  'seedphrase',
  'authtoken',
  'accesstoken',
  'refreshtoken',
]);

/** Nouns that are secret when they are what the key is about (its last word). */
const SECRET_NOUNS = new Set(['token', 'jwt', 'auth', 'signature', 'bearer']);

/** Nouns that are secret only when qualified by one of these words. */
const QUALIFIED_NOUNS = new Map<string, Set<string> | 'any'>([
  [
    'key',
    new Set(['api', 'private', 'priv', 'secret', 'signing', 'sign', 'access', 'hmac', 'encryption', 'master', 'auth', 'session', 'wallet']),
  ],
  // Venue signature headers: OK-ACCESS-SIGN, X-BAPI-SIGN, ACCESS-SIGN.
  ['sign', 'any'],
  ['phrase', new Set(['seed', 'recovery', 'secret', 'mnemonic', 'wallet'])],
]);

function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0)
    .map(singular);
}

function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}
