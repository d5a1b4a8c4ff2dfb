import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { OrderEvent } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import type { TradingAdapter, VenueOrder } from '@perpetua/venues';
import { OrderRouterService, type ReconcileOptions } from '../../src/order-router-service.js';
import { MAX_START_SYMBOLS, startSymbols } from '../../src/reconcile/start-symbols.js';

/**
 * A takeover's start reconciliation asks the venue per symbol (the account's known symbols and those of the
 * persisted orders) instead of one all-symbol query (Binance weight 40, after which ccxt's limiter holds the
 * orphans' cancels ~2 s), and still cancels every order it does not own before the router takes commands.
 */

const VENUE = 'binanceusdm';
const ACCOUNT = 'acct-1';
const logger = createLogger({ service: 'start-per-symbol', level: 'silent' });

const resting = (clientOrderId: string, symbol: string): VenueOrder => ({ clientOrderId, symbol, side: 'buy', price: '100', qty: '1', filledQty: '0', status: 'new' });
const persisted = (clientOrderId: string, symbol: string): OrderEvent => ({ venue: VENUE, account: ACCOUNT, symbol, clientOrderId, side: 'buy', price: '100', qty: '1', filledQty: '0', status: 'new', ts: 1 });

/** A venue holding `open` orders; records the open-orders and fill-history queries and the cancels. */
function fakeVenue(open: VenueOrder[]) {
  const asked: Array<string | undefined> = [];
  const fillsAsked: Array<string[] | undefined> = [];
  const cancelled: string[] = [];
  const adapter: TradingAdapter = {
    venue: VENUE,
    account: ACCOUNT,
    instruments: async () => [],
    start: async () => undefined,
    placeOrder: async () => ({ status: 'rejected', reason: 'not in this test' }),
    cancelOrder: async (_symbol, id) => {
      cancelled.push(id);
      return true;
    },
    cancelAll: async () => 0,
    openOrders: async (symbol) => {
      asked.push(symbol);
      return open.filter((o) => symbol === undefined || o.symbol === symbol);
    },
    queryOrder: async () => undefined,
    positions: async () => [],
    fillsSince: async (_since, symbols) => {
      fillsAsked.push(symbols);
      return [];
    },
    fundingPayments: async () => [],
    close: async () => undefined,
  };
  return { adapter, asked, fillsAsked, cancelled };
}

let stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.reverse()) await s();
  stops = [];
});

async function startRouter(adapter: TradingAdapter, store: MemoryStateStore, reconcile: ReconcileOptions): Promise<void> {
  const bus = new InProcessBus();
  const router = new OrderRouterService({ bus, adapter, store, logger, registry: new Registry(), reconcile: { settleMs: 0, intervalMs: 0, ...reconcile }, funding: false });
  stops.push(async () => {
    await router.stop();
    await bus.close();
  });
  await router.start();
}

describe('start reconciliation per symbol', () => {
  it('asks per known and persisted symbol, never for all, and has cancelled every order it does not own when start resolves', async () => {
    const store = new MemoryStateStore();
    // The dead leader's: one listed on a configured symbol, one persisted on another (the venue's list lags).
    await store.saveOpenOrders(VENUE, ACCOUNT, [persisted('old-eth', 'ETH-PERP')]);
    const venue = fakeVenue([resting('old-btc', 'BTC-PERP')]);
    await startRouter(venue.adapter, store, { startSymbols: () => ['BTC-PERP', 'SOL-PERP'] });
    expect(venue.asked.sort()).toEqual(['BTC-PERP', 'ETH-PERP', 'SOL-PERP']);
    expect(venue.cancelled.sort()).toEqual(['old-btc', 'old-eth']);
    expect(venue.fillsAsked).toEqual([['BTC-PERP', 'SOL-PERP', 'ETH-PERP']]);
  });

  it('without known symbols, or when the persisted orders cannot be read, asks for all symbols at once', async () => {
    const plain = fakeVenue([resting('old-btc', 'BTC-PERP')]);
    await startRouter(plain.adapter, new MemoryStateStore(), {});
    expect(plain.asked).toEqual([undefined]);
    expect(plain.cancelled).toEqual(['old-btc']);

    const unreadable = new MemoryStateStore();
    unreadable.loadOpenOrders = () => Promise.reject(new Error('store down'));
    const blind = fakeVenue([resting('old-doge', 'DOGE-PERP')]);
    await startRouter(blind.adapter, unreadable, { startSymbols: () => ['BTC-PERP'] });
    expect(blind.asked).toEqual([undefined]);
    expect(blind.cancelled).toEqual(['old-doge']);
  });
});

describe('startSymbols', () => {
  it('the known symbols and the persisted orders’ ones, once each; none known, unreadable orders or too many: all at once', () => {
    expect(startSymbols(['BTC-PERP', 'ETH-PERP'], [{ symbol: 'ETH-PERP' }, { symbol: 'SOL-PERP' }])).toEqual(['BTC-PERP', 'ETH-PERP', 'SOL-PERP']);
    expect(startSymbols(undefined, [])).toBeUndefined();
    expect(startSymbols([], [{ symbol: 'BTC-PERP' }])).toBeUndefined();
    expect(startSymbols(['BTC-PERP'], undefined)).toBeUndefined();
    const many = Array.from({ length: MAX_START_SYMBOLS + 1 }, (_, i) => `S${i}-PERP`);
    expect(startSymbols(many, [])).toBeUndefined();
    expect(startSymbols(many.slice(0, MAX_START_SYMBOLS), [])).toHaveLength(MAX_START_SYMBOLS);
  });
});
