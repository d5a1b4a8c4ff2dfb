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
