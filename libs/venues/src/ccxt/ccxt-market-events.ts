import type { BookEvent, VenueMark, VenueTrade } from '../venue-adapter.js';
import type { ContractSize } from './contract-size.js';
import { CcxtAmount, CcxtBookShape, CcxtMarketTradeShape, CcxtMarkSourceShape, CcxtNonce, CcxtTime } from './ccxt-market-wire.js';

/**
 * ccxt's unified market data, as watchOrderBook / watchTrades / fetchFundingRate (and fetchMarkPrice) hand it to
 * the adapter, made into our events. Pure: the adapter's loops call these with the exchange's answer and the time.
 */

/** ccxt's funding-rate answer, and its mark-price answer where the first has no mark price (OKX). */
export interface CcxtMarkSources {
  funding: unknown;
  mark?: unknown;
}

/** A book update as a snapshot of the top `depth` levels per side (sizes in base units), or why there is none. */
export function bookEventOf(symbol: string, raw: unknown, depth: number, size: ContractSize, now: number): { event: BookEvent } | { invalid: string } {
  const ob = CcxtBookShape.safeParse(raw);
  if (!ob.success) return { invalid: `book: ${ob.error.issues[0]?.path.join('.') ?? ''} ${ob.error.issues[0]?.message ?? ''}`.trim() };
  const nonce = CcxtNonce.safeParse(ob.data.nonce);
  const ts = CcxtTime.safeParse(ob.data.timestamp);
  return {
    event: {
      kind: 'snapshot',
      symbol,
      bids: levels(ob.data.bids, depth, size),
      asks: levels(ob.data.asks, depth, size),
      venueSeq: nonce.success ? nonce.data : undefined,
      tsExchange: ts.success ? ts.data : now,
      tsReceived: now,
    },
  };
}

/**
 * The trades of one watchTrades answer. Each is taken or refused on its own (a refusal says why, to be counted): one
 * odd trade never loses the others of its batch.
 */
export function tradeEventsOf(symbol: string, raw: unknown, size: ContractSize, now: number): { trades: VenueTrade[]; refused: string[] } {
  const trades: VenueTrade[] = [];
  const refused: string[] = [];
  if (!Array.isArray(raw)) return { trades, refused: ['trades: not a list'] };
  for (const item of raw) {
    const t = CcxtMarketTradeShape.safeParse(item);
    if (!t.success) {
      refused.push(`trade: ${t.error.issues[0]?.path.join('.') ?? ''} ${t.error.issues[0]?.message ?? ''}`.trim());
      continue;
    }
    const base = size.toBase(t.data.amount);
    if (!(base > 0 && Number.isFinite(base))) {
      refused.push(`trade: amount ${t.data.amount} is no size in base units`);
      continue;
    }
    const ts = t.data.timestamp ?? now;
    trades.push({ symbol, tradeId: t.data.id ?? `${ts}-${t.data.price}`, price: t.data.price, size: base, side: t.data.side, tsExchange: ts, tsReceived: now });
  }
  return { trades, refused };
}

/**
 * The mark of a funding-rate answer (OKX's has no mark price: it comes from the mark-price answer). None when
 * neither names a mark price; a refusal when the one named is not a sane price.
 */
export function markEventOf(symbol: string, sources: CcxtMarkSources, now: number): { mark?: VenueMark; invalid?: string } {
  const f = CcxtMarkSourceShape.safeParse(sources.funding);
  if (!f.success) return { invalid: `funding rate: ${f.error.issues[0]?.message ?? 'not an object'}` };
  const m = sources.mark === undefined ? undefined : CcxtMarkSourceShape.safeParse(sources.mark);
  const mark = m?.success ? m.data : undefined;
  const price = f.data.markPrice ?? mark?.markPrice;
  if (price === undefined || price === null) return {};
  // Named by its type unless a number: String() throws on an object without a prototype.
  if (!CcxtAmount.safeParse(price).success) return { invalid: `mark price ${typeof price === 'number' ? String(price) : `of type ${typeof price}`} is not a price` };
  return {
    mark: {
      symbol,
      markPrice: price as number,
      indexPrice: f.data.indexPrice ?? mark?.indexPrice ?? undefined,
      fundingRate: f.data.fundingRate ?? undefined,
      nextFundingTime: f.data.fundingTimestamp ?? undefined,
      tsExchange: f.data.timestamp ?? now,
      tsReceived: now,
    },
  };
}

/**
 * ccxt levels ([price, amount, ...]) as [price, size in base units] pairs, best first, at most `n`. A level that is
 * not a sane price and amount is skipped, as is one whose size in base units comes to nothing.
 */
function levels(side: readonly unknown[], n: number, size: ContractSize): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const l of side) {
    if (out.length >= n) break;
    if (!Array.isArray(l)) continue;
    const [p, q] = l as unknown[];
    if (!CcxtAmount.safeParse(p).success || !CcxtAmount.safeParse(q).success) continue;
    const base = size.toBase(q as number);
    if (base > 0 && Number.isFinite(base)) out.push([p as number, base]);
  }
  return out;
}
