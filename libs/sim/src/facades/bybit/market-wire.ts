import type { SimBookSnapshot, SimInstrument, SimLevel, SimMark, SimTrade } from '../../engine/types.js';
import type { Stats24h } from '../rolling-trade-stats.js';
import { toWireId } from './wire-ids.js';

/** A linear perpetual as GET /v5/market/instruments-info lists it. */
export function instrumentWire(inst: SimInstrument, venueSymbol: string, fundingIntervalMs: number) {
  return {
    symbol: venueSymbol,
    contractType: 'LinearPerpetual',
    status: 'Trading',
    baseCoin: inst.asset,
    quoteCoin: inst.quote,
    settleCoin: inst.quote,
    launchTime: '1585526400000',
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: String(inst.pricePrecision),
    leverageFilter: { minLeverage: '1', maxLeverage: `${inst.maxLeverage}.00`, leverageStep: '0.01' },
    priceFilter: { minPrice: inst.tickSize, maxPrice: '1999999.8', tickSize: inst.tickSize },
    lotSizeFilter: {
      maxOrderQty: '1190',
      minOrderQty: inst.minQty,
      qtyStep: inst.lotSize,
      postOnlyMaxOrderQty: '1190',
      maxMktOrderQty: '500',
      minNotionalValue: inst.minNotional,
    },
    unifiedMarginTrade: true,
    fundingInterval: Math.round(fundingIntervalMs / 60_000),
    copyTrading: 'both',
    upperFundingRate: '0.005',
    lowerFundingRate: '-0.005',
    isPreListing: false,
    preListingInfo: null,
    displayName: '',
  };
}

/** Bybit's linear ticker (REST /v5/market/tickers and the `tickers` topic); every value a string. */
export function tickerWire(venueSymbol: string, stats: Stats24h, mark: SimMark, top: SimBookSnapshot): Record<string, string> {
  const bid = top.bids[0];
  const ask = top.asks[0];
  return {
    symbol: venueSymbol,
    lastPrice: stats.lastPrice,
    indexPrice: mark.indexPrice,
    markPrice: mark.markPrice,
    prevPrice24h: stats.prevPrice24h,
    price24hPcnt: stats.price24hPcnt,
    highPrice24h: stats.highPrice24h,
    lowPrice24h: stats.lowPrice24h,
    prevPrice1h: stats.prevPrice24h,
    openInterest: '0',
    openInterestValue: '0',
    turnover24h: stats.turnover24h,
    volume24h: stats.volume24h,
    fundingRate: mark.fundingRate,
    nextFundingTime: String(mark.nextFundingTime),
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    ask1Size: ask ? ask[1] : '0',
    bid1Price: bid ? bid[0] : '0',
    ask1Price: ask ? ask[0] : '0',
    bid1Size: bid ? bid[1] : '0',
    basis: '',
  };
}

/** Book side payload: [[price, size], ...] best first, as Bybit sends it. */
export const levels = (side: SimLevel[]): Array<[string, string]> => side.map(([p, q]) => [p, q]);

/** One public trade (`publicTrade` topic item and /v5/market/recent-trade row). */
export function publicTradeWire(t: SimTrade, venueSymbol: string, tickDirection: string) {
  return {
    T: t.ts,
    s: venueSymbol,
    S: t.side === 'buy' ? 'Buy' : 'Sell',
    v: t.qty,
    p: t.price,
    L: tickDirection,
    i: toWireId('trade', t.tradeId),
    BT: false,
    RPI: false,
    seq: Number(t.tradeId),
  };
}

export function recentTradeWire(t: SimTrade, venueSymbol: string) {
  return { execId: toWireId('trade', t.tradeId), symbol: venueSymbol, price: t.price, size: t.qty, side: t.side === 'buy' ? 'Buy' : 'Sell', time: String(t.ts), isBlockTrade: false, isRPITrade: false, seq: t.tradeId };
}
