import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isSecretKey } from '../src/secret-key.js';

describe('isSecretKey', () => {
  it.each([
    'apiKey',
    'api_key',
    'API_KEY',
    'ApiKey',
    'APIKey',
    'apikey',
    'x-api-key',
    'X-MBX-APIKEY',
    'secret',
    'apiSecret',
    'clientSecret',
    'SECRET_KEY',
    'token',
    'accessToken',
    'refresh_token',
    'authToken',
    'tokens',
    'jwt',
    'sessionJwt',
    'signature',
    'x-request-signature',
    'X-Request-Signature',
    'signatures',
    'privateKey',
    'private_key',
    'PRIVATE_KEY',
    'privkey',
    'signingKey',
    'password',
    'dbPassword',
    'passwordHash',
    'passwd',
    'passphrase',
    'OK-ACCESS-PASSPHRASE',
    'OK-ACCESS-KEY',
    'OK-ACCESS-SIGN',
    'X-BAPI-SIGN',
    'authorization',
    'Authorization',
    'auth',
    'basicAuth',
    'cookie',
    'set-cookie',
    'Cookies',
    'mnemonic',
    'walletMnemonic',
    'seed phrase',
    'seedPhrase',
    'seed_phrase',
    'recoveryPhrase',
    'credentials',
    'bearer',
    'PERPETUA_VENUES__STANDX__API_KEY',
    'perpetua.venues.grvt.privateKey',
  ])('%s is secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    'tokenBucket',
    'token_bucket',
    'tokenAddress',
    'tokenSymbol',
    'tokenCount',
    'signatureVersion',
    'signature_scheme',
    'publicKey',
    'public_key',
    'key',
    'keys',
    'keyId',
    'apiKeyId',
    'privateKeyPath',
    'cacheKey',
    'sign',
    'seed',
    'randomSeed',
    'phrase',
    'authMode',
    'authorizedBy',
    'passive',
    'bypass',
    'secretary',
    'symbol',
    'venue',
    'maxPosition',
    'message',
    'msg',
    'err',
    'service',
    '',
  ])('%s is not secret', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });

  it('gives the same verdict whatever the spelling style of the words', () => {
    const words = ['api', 'key', 'token', 'bucket', 'secret', 'private', 'public', 'signature', 'version', 'seed', 'phrase', 'max', 'position', 'auth', 'mode', 'password', 'hash'];
    const styles: ((ws: string[]) => string)[] = [
      (ws) => ws.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join(''),
      (ws) => ws.join('_'),
      (ws) => ws.join('_').toUpperCase(),
      (ws) => ws.join('-'),
      (ws) => ws.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('-'),
      (ws) => ws.join('.'),
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }), (ws) => {
        const verdicts = new Set(styles.map((style) => isSecretKey(style(ws))));
        expect(verdicts.size).toBe(1);
      }),
    );
  });

  it('ignores a trailing plural s', () => {
    fc.assert(
      fc.property(fc.constantFrom('apiKey', 'token', 'secret', 'cookie', 'signature', 'tokenBucket', 'publicKey', 'credential'), (k) => {
        expect(isSecretKey(`${k}s`)).toBe(isSecretKey(k));
      }),
    );
  });
});
