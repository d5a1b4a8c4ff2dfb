import { dec, mul, toText, type Fill, type OrderEvent, type OrderStatus, type TimeInForce } from '@perpetua/core';
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

/**
 * StandX says `open` for new and partly filled orders alike: fill_qty tells them apart (also for `new` and
 * `partially_filled`, should the venue use those words). Expired orders may come as `canceled` or `expired`.
 */
export function orderStatusOf(o: StandxOrder): OrderStatus {
  switch (o.status) {
    case 'open':
    case 'new':
    case 'partially_filled':
      return o.fill_qty && dec(o.fill_qty) > 0n ? 'partially_filled' : 'new';
    case 'filled':
      return 'filled';
    case 'canceled':
      return 'canceled';
    case 'expired':
      return 'expired';
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
  // No fee on the record (the trade channel's payload is undocumented): a gtc order's fill is taken as taker.
  if (t.fee_qty == null) return 'taker';
  const fee = Number(t.fee_qty);
  if (fee < 0) return 'maker';
  const notional = t.value != null ? Math.abs(Number(t.value)) : Number(t.price) * Number(t.qty);
  if (!(notional > 0)) return 'taker';
  const rate = fee / notional;
  return Math.abs(rate - fees.maker) < Math.abs(rate - fees.taker) ? 'maker' : 'taker';
}

/** The trade's time: `created_at` when it can be read, else the fallback (the receive time). */
export function tradeTimeOf(t: StandxTrade, fallback: number): number {
  return timeOf(t.created_at ?? undefined, fallback);
}

/**
 * The keys a trade is known by in the fill ledger: its id when it has one, and always its content (order, time, price,
 * size) when it has a time, so the same trade told once without an id (stream) and once with (query_trades) is one.
 */
export function tradeKeysOf(t: StandxTrade): string[] {
  const keys: string[] = [];
  if (t.id != null) keys.push(`id:${String(t.id)}`);
  const ts = t.created_at ? Date.parse(t.created_at) : NaN;
  if (Number.isFinite(ts)) keys.push(`c:${String(t.order_id)}|${ts}|${canonical(t.price)}|${canonical(t.qty)}`);
  return keys;
}

export function toFill(
  t: StandxTrade,
  ctx: {
    venue: string;
    account: string;
    clientOrderId: string;
    liquidity: 'maker' | 'taker';
    now: number;
    /** The order's side, when the record does not say. */
    side: 'buy' | 'sell';
    /** The account's rate for this liquidity, when the record carries no fee. */
    feeRate: number;
  },
): Fill {
  const ts = tradeTimeOf(t, ctx.now);
  const price = canonical(t.price);
  const qty = canonical(t.qty);
  // No fee on the record: the rate times the notional, in Decimal, snapped to 12 places.
  const fee = t.fee_qty != null ? canonical(t.fee_qty) : toText(mul(mul(dec(price), dec(qty)), dec(ctx.feeRate.toFixed(12))));
  return {
    // Without an id, the same trade (order, time, price, size) always gets the same fill id; flagged, so the
    // router and the store know it again when query_trades tells it under StandX's id (fill-content-dedupe.ts).
    fillId: t.id != null ? String(t.id) : `sx-${String(t.order_id)}-${ts}-${price}-${qty}`,
    ...(t.id == null ? { idFromContent: true } : {}),
    venue: ctx.venue,
    account: ctx.account,
    symbol: standxToCanonical(t.symbol),
    clientOrderId: ctx.clientOrderId,
    venueOrderId: String(t.order_id),
    side: t.side ?? ctx.side,
    price,
    qty,
    // StandX charges fees in the margin asset (the quote, DUSD); positive = paid.
    fee: canonical(fee),
    liquidity: ctx.liquidity,
    tsExchange: ts,
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
