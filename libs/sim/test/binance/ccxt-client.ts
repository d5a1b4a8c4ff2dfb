import ccxt from 'ccxt';
import type { BinanceFacade } from '../../src/facades/binance/index.js';

/** Binance's real REST origins; the test fetch rewrites them to the façade (ccxt keeps its own URLs). */
const BINANCE_ORIGINS = /^https:\/\/(fapi|api|dapi|papi|eapi)\.binance\.com/;

export type BinanceUsdm = InstanceType<typeof ccxt.pro.binanceusdm>;

/**
 * An unmodified ccxt.pro.binanceusdm pointed at the façade: REST through a fetch that swaps
 * the origin, WS through the `future` stream URL, and the façade's demo keys.
 */
export async function ccxtBinanceUsdm(facade: BinanceFacade): Promise<BinanceUsdm> {
  const ex = new ccxt.pro.binanceusdm({
    apiKey: facade.credentials.apiKey,
    secret: facade.credentials.secret,
    enableRateLimit: false,
    options: { fetchCurrencies: false },
  });
  ex.fetchImplementation = (url: string, init?: RequestInit) => fetch(url.replace(BINANCE_ORIGINS, facade.restUrl), init);
  (ex.urls['api'] as Record<string, unknown>)['ws'] = { ...(ex.urls['api'] as { ws: Record<string, unknown> }).ws, future: facade.wsUrl };
  await ex.loadHttpProxyAgent();
  return ex;
}
