import ccxt, { type Exchange } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBinanceFacade } from '../../src/facades/binance/index.js';
import { startBybitFacade } from '../../src/facades/bybit/index.js';
import { startOkxFacade } from '../../src/facades/okx/index.js';
import { createSimWorld, type SimWorldImpl } from '../../src/world.js';
import { stepUntilSettled, waitFor } from '../support/wait.js';

interface Served {
  restUrl: string;
  credentials: { apiKey: string; secret: string; password?: string };
  accountId: string;
  close(): Promise<void>;
}

/**
 * Unmodified ccxt.pro clients constructed with their keys only — no options, so every request a default client makes
 * on loadMarkets (currencies, spot / inverse / option listings, account probes) reaches the façade — and pointed at
 * it by URL alone: REST origins swapped in fetch, stream origins swapped in ccxt's URL tree (paths kept).
 */
const VENUES = [
  { id: 'binanceusdm', start: startBinanceFacade, origins: /^https:\/\/[a-z.]*binance\.com/, amount: 0.002 },
  { id: 'bybit', start: startBybitFacade, origins: /^https:\/\/api(-testnet|-demo)?\.bybit\.com/, amount: 0.002 },
  // Contracts: 2 of 0.01 BTC.
  { id: 'okx', start: startOkxFacade, origins: /^https:\/\/www\.okx\.com/, amount: 2 },
] as const;

const ORIGIN = /^[a-z]+:\/\/[^/]+/;

function rerouteWs(node: unknown, origin: string): unknown {
  if (typeof node === 'string') return /^wss?:\/\//.test(node) ? node.replace(ORIGIN, origin) : node;
  if (node && typeof node === 'object' && !Array.isArray(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, rerouteWs(v, origin)]));
  return node;
}

describe.each(VENUES)('an unmodified ccxt.pro.$id with its keys only, against the simulator', (v) => {
  let world: SimWorldImpl;
  let facade: Served;
  let ex: Exchange;

  beforeAll(async () => {
    world = createSimWorld({ seed: 41, venues: [v.id] });
    for (let i = 0; i < 20; i++) world.step();
    facade = await v.start({ world });
    const Ctor = ccxt.pro[v.id] as unknown as new (config: Record<string, unknown>) => Exchange;
    ex = new Ctor({ apiKey: facade.credentials.apiKey, secret: facade.credentials.secret, ...(facade.credentials.password ? { password: facade.credentials.password } : {}) });
    ex.fetchImplementation = (url: string, init?: RequestInit) => fetch(url.replace(v.origins, facade.restUrl), init);
    const api = ex.urls['api'] as Record<string, unknown>;
    api['ws'] = rerouteWs(api['ws'], facade.restUrl.replace(/^http/, 'ws'));
    await ex.loadHttpProxyAgent();
  });

  afterAll(async () => {
    await ex?.close();
    await facade?.close();
  });

  it('loads markets with its default options', async () => {
    const markets = await ex.loadMarkets();
    expect(markets['BTC/USDT:USDT']).toMatchObject({ swap: true, linear: true });
  });

  it('trades: a market order fills and shows in its trades, balance and positions; the book streams', async () => {
    const created = await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', v.amount);
    expect(created.id).toBeTruthy();
    await waitFor(() => world.venue(v.id).position(facade.accountId, 'BTC-PERP').qty !== '0', 3_000, 'the fill');
    const trades = await ex.fetchMyTrades('BTC/USDT:USDT');
    expect(trades.some((t) => t.order === created.id)).toBe(true);
    const positions = await ex.fetchPositions(['BTC/USDT:USDT']);
    expect(positions.find((p) => p.symbol === 'BTC/USDT:USDT')?.contracts).toBeCloseTo(v.amount, 9);
    expect((await ex.fetchBalance())['USDT']?.total).toBeGreaterThan(0);
    const ob = await stepUntilSettled(world, ex.watchOrderBook('BTC/USDT:USDT'));
    expect(ob.bids.length).toBeGreaterThan(0);
  });
});
