import { D, DecimalError, dec, toText, type Fill, type Instrument, type OrderStatus } from '@perpetua/core';
import { z } from 'zod';
import type { VenueOrder, VenuePosition } from '../venue-adapter.js';
import type { CcxtTradingDialect } from './ccxt-trading-dialect.js';
import type { ContractSize } from './contract-size.js';

/**
 * The parts of ccxt's loosely typed order, trade and position objects this adapter reads, checked
 * here so nothing unverified reaches a VenueOrder, OrderEvent or Fill.
 */
const Info = z.record(z.string(), z.unknown());
/**
 * A ccxt number the adapter turns into decimal text: below 1e20 in size, as from 1e21 JavaScript writes numbers
 * with an exponent, which no Decimal reads (a venue's 1e61 threw out of the watch loop instead of being refused).
 */
const Num = z.number().gt(-1e20).lt(1e20);

export const CcxtOrderShape = z.object({
  id: z.string().nullish(),
  clientOrderId: z.string().nullish(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']).nullish(),
  type: z.string().nullish(),
  price: Num.nullish(),
  amount: Num.nullish(),
  filled: Num.nullish(),
  status: z.string().nullish(),
  timestamp: Num.nullish(),
  lastUpdateTimestamp: Num.nullish(),
  info: Info.nullish(),
});
export type CcxtOrderShape = z.infer<typeof CcxtOrderShape>;

export const CcxtTradeShape = z.object({
  id: z.string().nullish(),
  order: z.string().nullish(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  price: Num.positive(),
  amount: Num.positive(),
  takerOrMaker: z.enum(['taker', 'maker']).nullish(),
  fee: z.object({ cost: Num.nullish(), currency: z.string().nullish() }).nullish(),
  timestamp: Num.nullish(),
  info: Info.nullish(),
});
export type CcxtTradeShape = z.infer<typeof CcxtTradeShape>;

/** One entry of ccxt's fetchFundingHistory: `amount` in the venue's own sign (the trading dialect says which). */
export const CcxtFundingShape = z.object({
  id: z.string().nullish(),
  symbol: z.string(),
  code: z.string().nullish(),
  amount: Num,
  timestamp: z.number().int().nonnegative(),
});
export type CcxtFundingShape = z.infer<typeof CcxtFundingShape>;

export const CcxtPositionShape = z.object({
  symbol: z.string(),
  contracts: Num.nullish(),
  side: z.string().nullish(),
  entryPrice: Num.nullish(),
});

export const CcxtBalanceEntry = z.object({ free: Num.nullish(), total: Num.nullish() });

/** Decimal text of a ccxt number: its shortest round-trip text is the venue's decimal (ccxt parsed it from one). */
export function numText(n: number): string {
  try {
    return toText(dec(n));
  } catch (err) {
    if (!(err instanceof DecimalError)) throw err;
    // More than 18 places (a computed fee): round to 18, the precision every Decimal has.
    return toText(dec(n.toFixed(18)));
  }
}

/** Our status of a ccxt order, with the venue's stated close reason where it changes the meaning. */
export function orderStatusOf(o: CcxtOrderShape, dialect: CcxtTradingDialect): { status: OrderStatus; reason?: string } | undefined {
  const reason = o.info ? dialect.closeReason(o.info) : undefined;
  const filled = o.filled ?? 0;
  const withReason = (status: OrderStatus) => (reason === undefined ? { status } : { status, reason });
  switch (o.status) {
    case 'open':
      return { status: filled > 0 ? 'partially_filled' : 'new' };
    case 'closed':
      return { status: 'filled' };
    case 'canceled':
    case 'cancelled':
      // A venue that "accepts and cancels at once" (Bybit post-only) refused the order; say so.
      return withReason(filled === 0 && reason !== undefined ? (dialect.statusForReason(reason) ?? 'canceled') : 'canceled');
    case 'expired':
      return withReason('expired');
    case 'rejected':
      return withReason('rejected');
    default:
      return undefined;
  }
}

/** A ccxt order as ours (sizes from contracts to base units); undefined when it lacks what a VenueOrder needs. */
export function toVenueOrder(o: CcxtOrderShape, canonical: string, dialect: CcxtTradingDialect, size: ContractSize): VenueOrder | undefined {
  const s = orderStatusOf(o, dialect);
  if (!o.side || o.amount == null || o.amount <= 0 || !s) return undefined;
  return {
    clientOrderId: clientIdOf(o),
    ...(o.id ? { venueOrderId: o.id } : {}),
    symbol: canonical,
    side: o.side,
    // A market order's "price" in ccxt is its average fill price, not a limit.
    ...(o.type !== 'market' && o.price != null && o.price > 0 ? { price: numText(o.price) } : {}),
    qty: size.toBaseText(o.amount),
    filledQty: size.toBaseText(o.filled ?? 0),
    status: s.status,
  };
}

/** Our client id; an order placed without one (by hand, on the venue's site) is named by its venue id, an orphan for the router. */
export function clientIdOf(o: CcxtOrderShape): string {
  return o.clientOrderId ? o.clientOrderId : `venue-order:${o.id ?? 'unknown'}`;
}

/**
 * The fill id: the venue's trade id, qualified by symbol and liquidity because Binance numbers trades per
 * symbol and gives both sides of a self-trade the same id (fill ids must be unique per venue: they de-duplicate
 * FILLS and the state store books each id once).
 */
export function fillIdOf(canonical: string, tradeId: string, liquidity: 'maker' | 'taker'): string {
  return `${canonical}:${tradeId}:${liquidity}`;
}

export interface FillContext {
  venue: string;
  account: string;
  inst: Instrument;
  settle: string;
  clientOrderId: string;
  tsReceived: number;
  /** ccxt's trade amount is in contracts on a contract market. */
  size: ContractSize;
  /** The fee (positive = paid) as the venue's raw message states it, where the dialect reads it (decimal text). */
  feeCost?: string | undefined;
}

/** A ccxt trade of ours as a Fill (still to be checked against the Fill schema by the caller). */
export function toFill(t: CcxtTradeShape, ctx: FillContext): Fill {
  const liquidity = t.takerOrMaker ?? 'taker'; // unknown: booked at the (higher) taker rate, never under-charged
  const price = numText(t.price);
  const qty = ctx.size.toBaseText(t.amount);
  const tradeId = t.id ?? `${t.order ?? 'order'}-${t.timestamp ?? ctx.tsReceived}-${qty}@${price}`;
  return {
    fillId: fillIdOf(ctx.inst.symbol, tradeId, liquidity),
    venue: ctx.venue,
    account: ctx.account,
    symbol: ctx.inst.symbol,
    clientOrderId: ctx.clientOrderId,
    ...(t.order ? { venueOrderId: t.order } : {}),
    side: t.side,
    price,
    qty,
    fee: feeText(t, price, qty, liquidity, ctx),
    liquidity,
    tsExchange: t.timestamp ?? ctx.tsReceived,
    tsReceived: ctx.tsReceived,
  };
}

/** The venue's fee when it is in the quote currency; otherwise (none, or paid in another asset) the instrument's rate. */
function feeText(t: CcxtTradeShape, price: string, qty: string, liquidity: 'maker' | 'taker', ctx: FillContext): string {
  if (ctx.feeCost !== undefined) return toText(dec(ctx.feeCost));
  const cost = t.fee?.cost;
  const currency = t.fee?.currency;
  if (cost != null && (currency == null || currency === ctx.inst.quote || currency === ctx.settle)) return numText(cost);
  const rate = dec(liquidity === 'maker' ? ctx.inst.makerFee : ctx.inst.takerFee);
  return toText(D.mul(D.mul(dec(price), dec(qty)), rate));
}

/** A ccxt position as ours (signed qty in base units), or undefined when flat or not one of our symbols. */
export function toVenuePosition(p: z.infer<typeof CcxtPositionShape>, canonical: string, size: ContractSize): VenuePosition | undefined {
  if (p.contracts == null || p.contracts === 0) return undefined;
  const contracts = Math.abs(p.contracts);
  return {
    symbol: canonical,
    qty: size.toBaseText(p.side === 'short' ? -contracts : contracts),
    avgEntry: numText(p.entryPrice ?? 0),
  };
}
