import ccxt from 'ccxt';
import type { BybitFacade } from '../../src/facades/bybit/index.js';

/** Bybit's real REST origins; the test fetch rewrites them to the façade (ccxt keeps its own URLs). */
const BYBIT_ORIGINS = /^https:\/\/api(-testnet|-demo)?\.bybit\.com/;

export type BybitPro = InstanceType<typeof ccxt.pro.bybit>;

/**
 * An unmodified ccxt.pro.bybit pointed at the façade: REST through a fetch that swaps the origin, the linear public
 * and private stream URLs overridden, the façade's demo keys. Options skip endpoints the façade need not serve:
 * currencies (wallet endpoints), spot/inverse/option markets, and the unified-account probe (the account is UTA).
 */
export async function ccxtBybit(facade: BybitFacade): Promise<BybitPro> {
  const ex = new ccxt.pro.bybit({
    apiKey: facade.credentials.apiKey,
    secret: facade.credentials.secret,
    enableRateLimit: false,
    options: {
      fetchCurrencies: false,
      fetchMarkets: { types: ['linear'] },
      enableUnifiedAccount: true,
      enableUnifiedMargin: false,
      defaultType: 'swap',
      defaultSubType: 'linear',
    },
  });
  ex.fetchImplementation = (url: string, init?: RequestInit) => fetch(url.replace(BYBIT_ORIGINS, facade.restUrl), init);
  const ws = (ex.urls['api'] as { ws: { public: Record<string, string>; private: Record<string, unknown> } }).ws;
  ws.public['linear'] = facade.publicWsUrl;
  ws.private['contract'] = facade.privateWsUrl;
  await ex.loadHttpProxyAgent();
  return ex;
}
