import { D } from '@perpetua/core';
import type { SimBookEvent, SimBookSnapshot, SimInstrument, SimLevel, SimMark, SimTrade } from '../../engine/types.js';

/** Engine market data → Binance USDⓈ-M REST answers and WS stream payloads. */

/** A symbol of GET /fapi/v1/exchangeInfo, its filters taken from the engine's instrument. */
export function exchangeInfoSymbol(inst: SimInstrument, venueSymbol: string, halted: boolean) {
  return {
    symbol: venueSymbol,
    pair: venueSymbol,
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: halted ? 'PENDING_TRADING' : 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: inst.asset,
    quoteAsset: inst.quote,
    marginAsset: inst.quote,
    pricePrecision: inst.pricePrecision,
    quantityPrecision: inst.qtyPrecision,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    settlePlan: 0,
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: inst.tickSize, maxPrice: '10000000', tickSize: inst.tickSize },
      { filterType: 'LOT_SIZE', minQty: inst.minQty, maxQty: '1000000', stepSize: inst.lotSize },
      { filterType: 'MARKET_LOT_SIZE', minQty: inst.minQty, maxQty: '1000000', stepSize: inst.lotSize },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
      { filterType: 'MIN_NOTIONAL', notional: inst.minNotional },
      { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
    ],
    // Only what the engine matches; conditional orders are not simulated.
    orderTypes: ['LIMIT', 'MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
    permissionSets: ['GRID', 'COPY'],
  };
}

export function depthSnapshot(book: SimBookSnapshot, now: number) {
  return { lastUpdateId: book.lastUpdateId, E: now, T: book.ts, bids: book.bids, asks: book.asks };
}

/** A `depthUpdate` event covering one or more engine book events of a symbol (U/u/pu = engine ids). */
export function depthUpdate(venueSymbol: string, first: SimBookEvent, last: SimBookEvent, bids: readonly SimLevel[], asks: readonly SimLevel[]) {
  return {
    e: 'depthUpdate',
    E: last.ts,
    T: last.ts,
    s: venueSymbol,
    U: first.firstUpdateId,
    u: last.lastUpdateId,
    pu: first.prevUpdateId,
    b: bids,
    a: asks,
  };
}

export function tradeEvent(t: SimTrade, venueSymbol: string) {
  return {
    e: 'trade',
    E: t.ts,
    T: t.ts,
    s: venueSymbol,
    t: Number(t.tradeId),
    p: t.price,
    q: t.qty,
    X: 'MARKET',
    // m: the buyer was the maker, i.e. the taker sold.
    m: t.side === 'sell',
  };
}

/** Each engine trade is one aggregate trade (the engine reports one trade per maker match). */
export function aggTradeEvent(t: SimTrade, venueSymbol: string) {
  const id = Number(t.tradeId);
  return { e: 'aggTrade', E: t.ts, a: id, s: venueSymbol, p: t.price, q: t.qty, f: id, l: id, T: t.ts, m: t.side === 'sell' };
}

export function restTrade(t: SimTrade) {
  return {
    id: Number(t.tradeId),
    price: t.price,
    qty: t.qty,
    quoteQty: quoteQty(t),
    time: t.ts,
    isBuyerMaker: t.side === 'sell',
  };
}

export function restAggTrade(t: SimTrade) {
  const id = Number(t.tradeId);
  return { a: id, p: t.price, q: t.qty, f: id, l: id, T: t.ts, m: t.side === 'sell' };
}

function quoteQty(t: SimTrade): string {
  return D.toText(D.mul(D.dec(t.price), D.dec(t.qty)));
}

export function markPriceEvent(m: SimMark, venueSymbol: string) {
  return {
    e: 'markPriceUpdate',
    E: m.ts,
    s: venueSymbol,
    p: m.markPrice,
    ap: m.markPrice,
    P: m.markPrice,
    i: m.indexPrice,
    r: m.fundingRate,
    T: m.nextFundingTime,
  };
}

export function premiumIndex(m: SimMark, venueSymbol: string) {
  return {
    symbol: venueSymbol,
    markPrice: m.markPrice,
    indexPrice: m.indexPrice,
    estimatedSettlePrice: m.markPrice,
    lastFundingRate: m.fundingRate,
    interestRate: '0.00010000',
    nextFundingTime: m.nextFundingTime,
    time: m.ts,
  };
}

export interface TopOfBook {
  bidPrice: string;
  bidQty: string;
  askPrice: string;
  askQty: string;
}

export function topOfBook(book: SimBookSnapshot): TopOfBook {
  const bid = book.bids[0];
  const ask = book.asks[0];
  return { bidPrice: bid?.[0] ?? '0', bidQty: bid?.[1] ?? '0', askPrice: ask?.[0] ?? '0', askQty: ask?.[1] ?? '0' };
}

export function bookTickerEvent(top: TopOfBook, venueSymbol: string, updateId: number, ts: number) {
  return { e: 'bookTicker', u: updateId, s: venueSymbol, b: top.bidPrice, B: top.bidQty, a: top.askPrice, A: top.askQty, T: ts, E: ts };
}

export function restBookTicker(top: TopOfBook, venueSymbol: string, updateId: number, ts: number) {
  return { symbol: venueSymbol, ...top, time: ts, lastUpdateId: updateId };
}
