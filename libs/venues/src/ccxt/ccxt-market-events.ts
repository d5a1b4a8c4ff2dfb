import type { OrderBook, Trade } from 'ccxt';
import type { BookEvent, VenueMark, VenueTrade } from '../venue-adapter.js';
import type { ContractSize } from './contract-size.js';

/**
 * ccxt's unified market data, as watchOrderBook / watchTrades / fetchFundingRate (and fetchMarkPrice) hand it to
 * the adapter, made into our events. Pure: the adapter's loops call these with the exchange's answer and the time.
 */

/** The parts of ccxt's funding-rate and mark-price answers a mark is made of. */
export interface CcxtMarkSources {
  funding: { markPrice?: number | undefined; indexPrice?: number | undefined; fundingRate?: number | undefined; fundingTimestamp?: number | undefined; timestamp?: number | undefined };
  mark?: { markPrice?: number | undefined; indexPrice?: number | undefined } | undefined;
}

/** A book update as a snapshot of the top `depth` levels per side, sizes in base units. */
export function bookEventOf(symbol: string, ob: OrderBook, depth: number, size: ContractSize, now: number): BookEvent {
  return {
    kind: 'snapshot',
    symbol,
    bids: levels(ob.bids, depth, size),
    asks: levels(ob.asks, depth, size),
    venueSeq: typeof ob.nonce === 'number' ? ob.nonce : undefined,
    tsExchange: ob.timestamp ?? now,
    tsReceived: now,
  };
}

/** The trades of one watchTrades answer that name a price, an amount and a side. */
export function tradeEventsOf(symbol: string, trades: Trade[], size: ContractSize, now: number): VenueTrade[] {
  const out: VenueTrade[] = [];
  for (const t of trades) {
    if (t.price === undefined || t.amount === undefined || (t.side !== 'buy' && t.side !== 'sell')) continue;
    out.push({ symbol, tradeId: String(t.id ?? `${t.timestamp}-${t.price}`), price: t.price, size: size.toBase(t.amount), side: t.side, tsExchange: t.timestamp ?? now, tsReceived: now });
  }
  return out;
}

/** The mark of a funding-rate answer (OKX's has no mark price: it comes from the mark-price answer), if it has one. */
export function markEventOf(symbol: string, { funding: f, mark: m }: CcxtMarkSources, now: number): VenueMark | undefined {
  const markPrice = f.markPrice ?? m?.markPrice;
  if (typeof markPrice !== 'number') return undefined;
  return {
    symbol,
    markPrice,
    indexPrice: f.indexPrice ?? m?.indexPrice ?? undefined,
    fundingRate: f.fundingRate ?? undefined,
    nextFundingTime: f.fundingTimestamp ?? undefined,
    tsExchange: f.timestamp ?? now,
    tsReceived: now,
  };
}

/** ccxt levels ([price, amount, ...]) as finite [price, size in base units] pairs, best first, at most `n`. */
function levels(side: ReadonlyArray<ReadonlyArray<number | undefined>>, n: number, size: ContractSize): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const l of side) {
    if (out.length >= n) break;
    const [p, q] = l;
    if (typeof p === 'number' && typeof q === 'number' && Number.isFinite(p) && Number.isFinite(q) && p > 0 && q > 0) out.push([p, size.toBase(q)]);
  }
  return out;
}
