import { dec, toText, type Fill, type OrderEvent, type OrderStatus, type TimeInForce } from '@perpetua/core';
import type { VenueOrder, VenuePosition } from '../venue-adapter.js';
import { standxToCanonical } from './standx-symbols.js';
import type { StandxOrder, StandxTrade } from './standx-trading-wire.js';

/** StandX records ↔ our messages. Pure. */

/** StandX pads decimals to the tick ("0.0100"); ours are canonical ("0.01"). */
export const canonical = (text: string): string => toText(dec(text));

export type StandxTif = 'gtc' | 'ioc' | 'alo';

/** StandX has gtc, ioc and alo (= post-only); no fill-or-kill. */
export function standxTif(tif: TimeInForce): StandxTif | undefined {
  switch (tif) {
    case 'gtc':
      return 'gtc';
    case 'ioc':
      return 'ioc';
    case 'post_only':
      return 'alo';
    default:
      return undefined;
  }
}

/** StandX says `open` for new and partly filled orders alike: fill_qty tells them apart. Expired orders come as `canceled`. */
export function orderStatusOf(o: StandxOrder): OrderStatus {
  switch (o.status) {
    case 'open':
    case 'new':
      return o.fill_qty && dec(o.fill_qty) > 0n ? 'partially_filled' : 'new';
    case 'filled':
      return 'filled';
    case 'canceled':
      return 'canceled';
    case 'rejected':
      return 'rejected';
    case 'untriggered':
      return 'pending';
  }
}

export const isTerminal = (s: OrderStatus): boolean => s === 'filled' || s === 'canceled' || s === 'rejected' || s === 'expired';

/** Orders placed without a cl_ord_id (not by us) still need a client id in our messages. */
export const clientIdOf = (o: StandxOrder): string => (o.cl_ord_id ? o.cl_ord_id : `standx-${o.id}`);

const priceOf = (o: StandxOrder): string | undefined => (o.price && dec(o.price) > 0n ? canonical(o.price) : undefined);

export function toVenueOrder(o: StandxOrder): VenueOrder {
  return {
    clientOrderId: clientIdOf(o),
    venueOrderId: String(o.id),
    symbol: standxToCanonical(o.symbol),
    side: o.side,
    price: priceOf(o),
    qty: canonical(o.qty),
    filledQty: canonical(o.fill_qty ?? '0'),
    status: orderStatusOf(o),
  };
}

export function toOrderEvent(o: StandxOrder, venue: string, account: string, now: number): OrderEvent {
  const remark = o.remark?.trim();
  return {
    venue,
    account,
    symbol: standxToCanonical(o.symbol),
    clientOrderId: clientIdOf(o),
    venueOrderId: String(o.id),
    side: o.side,
    price: priceOf(o),
    qty: canonical(o.qty),
    filledQty: canonical(o.fill_qty ?? '0'),
    status: orderStatusOf(o),
    reason: remark ? remark.slice(0, 500) : undefined,
    ts: timeOf(o.updated_at, now),
  };
}

export interface FeeRates {
  maker: number;
  taker: number;
}

/**
 * StandX's trade record says nothing about maker or taker, so it is derived:
 * an alo (post-only) order can only make, a market or ioc order can only take;
 * for gtc the fee decides: a rebate (negative fee) is maker, otherwise the fee
 * rate (fee / notional) is matched to the nearer of the account's maker and
 * taker rates. Those are the symbol's listed rates unless configured: an account
 * on a maker tier (MM1/MM2: taker ~2 bps, maker rebate) must configure its own.
 */
export function liquidityOf(t: StandxTrade, order: { type?: string; tif?: string } | undefined, fees: FeeRates): 'maker' | 'taker' {
  if (order?.tif === 'alo') return 'maker';
  if (order?.type === 'market' || order?.tif === 'ioc') return 'taker';
  const fee = Number(t.fee_qty);
  if (fee < 0) return 'maker';
  const notional = t.value !== undefined ? Math.abs(Number(t.value)) : Number(t.price) * Number(t.qty);
  if (!(notional > 0)) return 'taker';
  const rate = fee / notional;
  return Math.abs(rate - fees.maker) < Math.abs(rate - fees.taker) ? 'maker' : 'taker';
}

export function toFill(
  t: StandxTrade,
  ctx: { venue: string; account: string; clientOrderId: string; liquidity: 'maker' | 'taker'; now: number },
): Fill {
  return {
    fillId: String(t.id),
    venue: ctx.venue,
    account: ctx.account,
    symbol: standxToCanonical(t.symbol),
    clientOrderId: ctx.clientOrderId,
    venueOrderId: String(t.order_id),
    side: t.side,
    price: canonical(t.price),
    qty: canonical(t.qty),
    // StandX charges fees in the margin asset (the quote, DUSD); positive = paid.
    fee: canonical(t.fee_qty),
    liquidity: ctx.liquidity,
    tsExchange: timeOf(t.created_at, ctx.now),
    tsReceived: ctx.now,
  };
}

export function toVenuePosition(p: { symbol: string; qty: string; entry_price: string }): VenuePosition {
  return { symbol: standxToCanonical(p.symbol), qty: canonical(p.qty), avgEntry: canonical(p.entry_price) };
}

function timeOf(iso: string | undefined, fallback: number): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : fallback;
}
