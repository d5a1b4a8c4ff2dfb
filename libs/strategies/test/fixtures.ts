import type { Instrument } from '@perpetua/core';
import type { PricingContext } from '../src/model/pricing-model.js';

export const btc: Instrument = {
  venue: 'standx',
  symbol: 'BTC-PERP',
  venueSymbol: 'BTC-USD',
  base: 'BTC',
  quote: 'USD',
  tickSize: '0.1',
  lotSize: '0.001',
  minQty: '0.001',
  contractSize: '1',
  makerFee: 0.0001,
  takerFee: 0.0004,
};

export function ctx(over: Partial<PricingContext> = {}): PricingContext {
  const mid = over.mid ?? 100_000;
  return {
    now: 1_800_000_000_000,
    bestBid: mid - 0.5,
    bestAsk: mid + 0.5,
    mid,
    position: 0,
    maxPosition: 10,
    instrument: btc,
    ...over,
  };
}

import type { BookMessage, TradeMessage } from '@perpetua/core';
import type { MarketEvent } from '../src/model/pricing-model.js';

export function bookEvent(ts: number, bid: number, ask: number): MarketEvent {
  const book: BookMessage = {
    venue: 'standx',
    symbol: 'BTC-PERP',
    seq: 1,
    bids: [[bid, 1]],
    asks: [[ask, 1]],
    tsExchange: ts,
    tsReceived: ts,
    tsPublished: ts,
    stale: false,
  };
  return { kind: 'book', ts, book };
}

export function tradeEvent(ts: number, price: number): MarketEvent {
  const trade: TradeMessage = { venue: 'standx', symbol: 'BTC-PERP', tradeId: String(ts), price, size: 0.1, side: 'buy', tsExchange: ts, tsReceived: ts, tsPublished: ts };
  return { kind: 'trade', ts, trade };
}

/** Mids alternating `mid` and `mid + step` once a second for `n` seconds: σ = step per √s. */
export function alternatingBooks(model: { onMarketEvent(e: MarketEvent): void }, mid: number, step: number, n: number, t0 = 0): void {
  for (let i = 0; i < n; i++) {
    const m = mid + (i % 2) * step;
    model.onMarketEvent(bookEvent(t0 + i * 1000, m - 0.05, m + 0.05));
  }
}
