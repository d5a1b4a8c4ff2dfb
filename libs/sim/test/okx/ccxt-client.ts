import ccxt from 'ccxt';
import type { OkxFacade } from '../../src/facades/okx/index.js';

/** OKX's real REST origin; the test fetch rewrites it to the façade (ccxt keeps its own URLs and paths). */
const OKX_ORIGIN = /^https:\/\/www\.okx\.com/;

export type OkxPro = InstanceType<typeof ccxt.pro.okx>;

/**
 * An unmodified ccxt.pro.okx, constructed with its keys and nothing else (default options), pointed at the façade by
 * URL alone: REST through a fetch that swaps the origin, the stream base URL replaced (ccxt adds /public, /private).
 */
export async function ccxtOkx(facade: OkxFacade, overrides: { password?: string } = {}): Promise<OkxPro> {
  const ex = new ccxt.pro.okx({ apiKey: facade.credentials.apiKey, secret: facade.credentials.secret, password: overrides.password ?? facade.credentials.password });
  ex.fetchImplementation = (url: string, init?: RequestInit) => fetch(url.replace(OKX_ORIGIN, facade.restUrl), init);
  (ex.urls['api'] as Record<string, unknown>)['ws'] = `${facade.wsUrl}/ws/v5`;
  await ex.loadHttpProxyAgent();
  return ex;
}
