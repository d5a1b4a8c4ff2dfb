import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Ccxt from 'ccxt';

/**
 * ccxt's index module imports every exchange it ships (about 85 MB resident);
 * a gateway or router talks to one (about 30 MB). So the one exchange class and
 * ccxt's error classes are imported from ccxt's own ESM files by path: the same
 * module instances the exchange code imports, so `instanceof` on its errors
 * holds. The layout (<package>/js/src/pro/<id>.js, js/src/base/errors.js) is
 * ccxt 4's; should it change, the whole index is loaded instead, as before.
 */
const packageRoot = dirname(dirname(createRequire(import.meta.url).resolve('ccxt'))); // <package>/dist/ccxt.cjs
const errorsFile = join(packageRoot, 'js', 'src', 'base', 'errors.js');

export type CcxtErrors = Pick<typeof Ccxt, 'BaseError' | 'BadResponse' | 'CancelPending' | 'DDoSProtection' | 'InvalidNonce' | 'NetworkError' | 'OrderNotFound' | 'RateLimitExceeded'>;

export const ccxtErrors: CcxtErrors = existsSync(errorsFile) ? ((await import(pathToFileURL(errorsFile).href)) as CcxtErrors) : (await import('ccxt')).default;

export type CcxtExchangeClass = new (config: Record<string, unknown>) => Ccxt.Exchange;

/** The ccxt.pro class of an exchange id, or undefined when ccxt.pro has none. */
export async function loadCcxtProExchange(exchangeId: string): Promise<CcxtExchangeClass | undefined> {
  if (!/^[a-z0-9]{1,40}$/.test(exchangeId)) return undefined;
  const file = join(packageRoot, 'js', 'src', 'pro', `${exchangeId}.js`);
  if (existsSync(errorsFile) && existsSync(file)) {
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return typeof mod.default === 'function' ? (mod.default as CcxtExchangeClass) : undefined;
  }
  const pro = (await import('ccxt')).default.pro as unknown as Record<string, CcxtExchangeClass | undefined>;
  return Object.hasOwn(pro, exchangeId) ? pro[exchangeId] : undefined;
}
