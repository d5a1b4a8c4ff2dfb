import type { Exchange } from 'ccxt';
import { loadCcxtProExchange } from './ccxt-modules.js';

/** The CEX venues named in the docs; any other ccxt.pro id works too. */
export const NAMED_CCXT_EXCHANGES = ['binanceusdm', 'okx', 'bybit', 'bitget', 'gate'] as const;

export interface CcxtConnection {
  /** A ccxt.pro exchange id: binanceusdm, okx, bybit, bitget, gate, ... */
  exchangeId: string;
  apiKey?: string;
  secret?: string;
  /** OKX, Bitget and others call it passphrase. */
  password?: string;
  /** The venue's testnet/sandbox where it has one. */
  testnet?: boolean;
  /**
   * Send REST calls to this origin instead of the venue's (e.g. the simulator,
   * http://127.0.0.1:PORT): ccxt keeps its own URLs and paths, only the origin changes.
   */
  restBaseUrl?: string;
  /** Likewise for WebSocket URLs (ws://127.0.0.1:PORT); each stream keeps its path. */
  wsBaseUrl?: string;
  /** ccxt's own request throttle; keep it on against real venues. */
  enableRateLimit?: boolean;
  /** Extra ccxt options (merged over ours). */
  options?: Record<string, unknown>;
}

const ORIGIN = /^[a-z]+:\/\/[^/]+/;

/** Per-exchange options that keep ccxt on linear perpetuals (and off endpoints perps never need). */
const PERP_OPTIONS: Readonly<Record<string, Record<string, unknown>>> = {
  bybit: { fetchMarkets: { types: ['linear'] }, defaultType: 'swap', defaultSubType: 'linear' },
  okx: { defaultType: 'swap' },
  bitget: { defaultType: 'swap' },
  gate: { defaultType: 'swap' },
};

/** Replaces the origin of every ws(s):// URL in ccxt's URL tree, keeping paths. */
function rerouteWs(node: unknown, wsBase: string): unknown {
  if (typeof node === 'string') return /^wss?:\/\//.test(node) ? node.replace(ORIGIN, wsBase) : node;
  if (node && typeof node === 'object' && !Array.isArray(node))
    return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, rerouteWs(v, wsBase)]));
  return node;
}

/** An unmodified ccxt.pro exchange, optionally pointed at another origin (the simulator) by URL alone. */
export async function createCcxtExchange(c: CcxtConnection): Promise<Exchange> {
  const Ctor = await loadCcxtProExchange(c.exchangeId);
  if (typeof Ctor !== 'function')
    throw new Error(`unknown ccxt exchange "${c.exchangeId}" (named: ${NAMED_CCXT_EXCHANGES.join(', ')}; any ccxt.pro id works)`);
  const ex = new Ctor({
    apiKey: c.apiKey,
    secret: c.secret,
    password: c.password,
    enableRateLimit: c.enableRateLimit ?? true,
    options: { fetchCurrencies: false, ...PERP_OPTIONS[c.exchangeId], ...c.options },
  });
  if (c.testnet) ex.setSandboxMode(true);
  if (c.restBaseUrl) {
    const rest = c.restBaseUrl.replace(/\/+$/, '');
    ex.fetchImplementation = (url: string, init?: RequestInit) => fetch(url.replace(ORIGIN, rest), init);
  }
  if (c.wsBaseUrl) {
    const api = ex.urls['api'] as Record<string, unknown>;
    api['ws'] = rerouteWs(api['ws'], c.wsBaseUrl.replace(/\/+$/, ''));
    // Node's ws needs ccxt's agent set up before a plain ws:// connection.
    await ex.loadHttpProxyAgent();
  }
  return ex;
}
