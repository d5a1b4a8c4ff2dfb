import type { Route } from './facade-context.js';

/**
 * What an unmodified ccxt `binanceusdm` (default options) also asks for on loadMarkets: the wallet's coin list
 * (/sapi, signed, when it has keys) and the cross-margin pairs. Real Binance answers them from its spot and wallet
 * APIs; the façade serves USD-M futures only, so they are empty lists and the client points here by URL alone.
 */
export const defaultClientRoutes: Route[] = [
  { method: 'GET', path: '/sapi/v1/capital/config/getall', security: 'SIGNED', handle: () => [] },
  { method: 'GET', path: '/sapi/v1/margin/allPairs', security: 'SIGNED', handle: () => [] },
];
