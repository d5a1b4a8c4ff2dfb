import { createHash } from 'node:crypto';
import { canonicalDecimal, derivedFundingPaymentId, type Fill, type FundingPayment, type OrderEvent, type OrderStatus } from '@perpetua/core';
import type { VenueOrder } from '../venue-adapter.js';
import { nanosToMs } from './grvt-market-wire.js';
import { grvtToCanonical, isGrvtPerp } from './grvt-symbols.js';
import type { GrvtFillWire, GrvtFundingPaymentWire, GrvtOrderWire } from './grvt-trading-wire.js';

/** GRVT reasons that close an order because of its time in force (ours: 'expired'), not a cancel. */
const EXPIRY_REASONS = new Set(['EXPIRED', 'IOC_CANCEL', 'FOK_CANCEL', 'MARKET_CANCEL']);

export function grvtOrderStatus(o: GrvtOrderWire): OrderStatus {
  switch (o.state.status) {
    case 'PENDING':
      return 'pending';
    case 'OPEN':
      return isZero(o.state.traded_size[0]!) ? 'new' : 'partially_filled';
    case 'FILLED':
      return 'filled';
    case 'REJECTED':
      return 'rejected';
    case 'CANCELLED':
      return EXPIRY_REASONS.has(o.state.reject_reason) ? 'expired' : 'canceled';
  }
}

/** GRVT's reject/cancel reason, when it says anything. */
export const grvtReason = (o: GrvtOrderWire): string | undefined =>
  o.state.reject_reason === 'UNSPECIFIED' || o.state.reject_reason === '' ? undefined : o.state.reject_reason;

const isZero = (text: string): boolean => /^0*(\.0*)?$/.test(text);

/** Canonical symbol of a GRVT perp, undefined for anything else (spot, options: not ours). */
export const canonicalOf = (instrument: string): string | undefined => (isGrvtPerp(instrument) ? grvtToCanonical(instrument) : undefined);

export function toVenueOrder(o: GrvtOrderWire, clientOrderId: string): VenueOrder | undefined {
  const leg = o.legs[0]!;
  const symbol = canonicalOf(leg.instrument);
  if (!symbol) return undefined;
  const price = leg.limit_price && !isZero(leg.limit_price) ? canonicalDecimal(leg.limit_price) : undefined;
  return {
    clientOrderId,
    venueOrderId: o.order_id,
    symbol,
    side: leg.is_buying_asset ? 'buy' : 'sell',
    ...(price !== undefined ? { price } : {}),
    qty: canonicalDecimal(leg.size),
    filledQty: canonicalDecimal(o.state.traded_size[0]!),
    status: grvtOrderStatus(o),
  };
}

export function toOrderEvent(o: GrvtOrderWire, clientOrderId: string, venue: string, account: string): OrderEvent | undefined {
  const v = toVenueOrder(o, clientOrderId);
  if (!v) return undefined;
  const reason = grvtReason(o);
  return {
    venue,
    account,
    symbol: v.symbol,
    clientOrderId,
    venueOrderId: v.venueOrderId,
    side: v.side,
    ...(v.price !== undefined ? { price: v.price } : {}),
    qty: v.qty,
    filledQty: v.filledQty,
    status: v.status,
    ...(reason !== undefined ? { reason } : {}),
    ts: nanosToMs(o.state.update_time),
  };
}

/**
 * Our fill id for a GRVT fill: the trade id, which GRVT shares between the trade's two sides, plus which side we
 * were — so even a self-trade (both sides ours) gives two distinct ids. The same on the stream and in fill_history.
 */
export const grvtFillId = (f: GrvtFillWire): string => `${f.trade_id}:${f.is_taker ? 't' : 'm'}`;

/**
 * A GRVT funding payment in the store's sign (GRVT's own: positive paid). Its id is GRVT's tx_id with the
 * instrument and settlement time (one tx may fund several positions), or derived when tx_id is absent.
 */
/** A payment id the bus takes (128 characters at most): a longer one (a 100-character tx_id) by its SHA-256, still stable. */
const boundedId = (id: string): string => (id.length <= 128 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`);

export function toFundingPayment(f: GrvtFundingPaymentWire, venue: string, account: string): FundingPayment | undefined {
  const symbol = canonicalOf(f.instrument);
  if (!symbol) return undefined;
  const ts = nanosToMs(f.event_time);
  return {
    paymentId: f.tx_id ? boundedId(`${f.tx_id}:${f.instrument}:${f.event_time}`) : derivedFundingPaymentId(venue, account, symbol, ts),
    venue,
    account,
    symbol,
    amount: canonicalDecimal(f.amount),
    ...(typeof f.currency === 'string' && f.currency.length > 0 ? { asset: f.currency } : {}),
    tsExchange: ts,
  };
}

export function toFill(f: GrvtFillWire, clientOrderId: string, venue: string, account: string, tsReceived: number): Fill | undefined {
  const symbol = canonicalOf(f.instrument);
  if (!symbol || isZero(f.size) || isZero(f.price)) return undefined;
  return {
    fillId: grvtFillId(f),
    venue,
    account,
    symbol,
    clientOrderId,
    venueOrderId: f.order_id,
    side: f.is_buyer ? 'buy' : 'sell',
    price: canonicalDecimal(f.price),
    qty: canonicalDecimal(f.size),
    fee: canonicalDecimal(f.fee),
    liquidity: f.is_taker ? 'taker' : 'maker',
    tsExchange: nanosToMs(f.event_time),
    tsReceived,
  };
}
