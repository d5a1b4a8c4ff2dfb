import type { Fill, FundingPayment, Instrument, OrderEvent, OrderStatus, Side, TimeInForce } from '@perpetua/core';

/**
 * One adapter interface per venue, in two halves: market data (for gateways)
 * and trading (for order routers). Adding a venue is an adapter, a registry
 * line and its env keys. Adapters speak canonical symbols (BTC-PERP) and map to
 * the venue's names inside.
 */

/** A change to a venue's order book as the venue sent it, before our own book applies it. */
export type BookEvent =
  | { kind: 'snapshot'; symbol: string; bids: Array<[number, number]>; asks: Array<[number, number]>; venueSeq?: number; tsExchange: number; tsReceived: number }
  | { kind: 'delta'; symbol: string; bids: Array<[number, number]>; asks: Array<[number, number]>; venueSeq?: number; prevVenueSeq?: number; tsExchange: number; tsReceived: number };

export interface VenueTrade {
  symbol: string;
  tradeId: string;
  price: number;
  size: number;
  side: Side;
  tsExchange: number;
  tsReceived: number;
}

export interface VenueMark {
  symbol: string;
  markPrice: number;
  indexPrice?: number;
  fundingRate?: number;
  nextFundingTime?: number;
  tsExchange: number;
  tsReceived: number;
}

export interface MarketDataHandlers {
  onBook(event: BookEvent): void;
  onTrade?(trade: VenueTrade): void;
  onMark?(mark: VenueMark): void;
  /** Connection state changes: the gateway turns them into md.status. */
  onStatus?(state: 'connected' | 'resyncing' | 'down', reason?: string): void;
  /** A venue message that failed its schema or sanity checks: counted and logged by the gateway, never applied. */
  onInvalid?(kind: string, detail: string): void;
}

export interface MarketDataAdapter {
  readonly venue: string;
  instruments(): Promise<Instrument[]>;
  /** Starts streaming the given symbols into the handlers; resolves once subscribed. */
  start(symbols: string[], handlers: MarketDataHandlers): Promise<void>;
  /** Asks for a fresh snapshot of a symbol (the gateway found its book untrustworthy). Optional: snapshot-only venues need none. */
  resync?(symbol: string, reason: string): void;
  close(): Promise<void>;
}

export interface VenueOrderRequest {
  /** Ours: unique, at most 36 characters, traceable to the intent that wanted it. */
  clientOrderId: string;
  symbol: string;
  side: Side;
  type: 'limit' | 'market';
  /** Already snapped to the instrument's tick (decimal text). */
  price?: string;
  /** Already snapped to the instrument's lot (decimal text). */
  qty: string;
  tif: TimeInForce;
  reduceOnly: boolean;
}

/**
 * What a place call tells us. 'unknown' (timeout, connection lost) must be resolved by query, never by a blind retry.
 * A 'rejected' with `rateLimited`: the venue's rate limit refused it (nothing was placed); the order itself was fine,
 * so the caller tries again after `retryAfterMs` rather than counting a refusal.
 */
export type PlaceResult =
  | { status: 'accepted'; venueOrderId?: string; orderStatus: OrderStatus }
  | { status: 'rejected'; reason: string; rateLimited?: { retryAfterMs: number } }
  | { status: 'unknown'; reason: string };

/** An open limit order's new price and qty (total, filled part included), snapped like a place's; side must be the order's. */
export interface AmendChange {
  price: string;
  qty: string;
  side: Side;
}

/**
 * What an amend call tells us. 'accepted': the order (same client id) now rests at the new price and qty.
 * 'rejected': the venue refused, and the order may be gone (filled, cancelled, or cancelled by the failed amend
 * itself on Binance) or still as it was: the caller settles it by cancelling. 'unknown': no answer; resolve by
 * queryOrder, never by a blind retry.
 */
export type AmendResult =
  | { status: 'accepted'; orderStatus: OrderStatus }
  | { status: 'rejected'; reason: string }
  | { status: 'unknown'; reason: string };

export interface VenueOrder {
  clientOrderId: string;
  venueOrderId?: string;
  symbol: string;
  side: Side;
  price?: string;
  qty: string;
  filledQty: string;
  status: OrderStatus;
}

export interface VenuePosition {
  symbol: string;
  qty: string;
  avgEntry: string;
}

/** An account's margin balance in one asset (decimal text). */
export interface VenueBalance {
  asset: string;
  /** Wallet balance: deposits + realized PnL - fees + funding. */
  total: string;
  /** Free to back new orders and positions. */
  available: string;
  /** total + unrealized PnL, where the venue states it. */
  equity?: string;
}

/** A private stream's state as the adapter tells it: `down` once per drop, `connected` once it is back and subscribed. */
export type PrivateStreamState = 'connected' | 'down';

export interface TradingHandlers {
  onOrderEvent(event: OrderEvent): void;
  onFill(fill: Fill): void;
  /**
   * The private stream (orders, fills) dropped or came back. Optional on both sides: an adapter without a stream
   * never calls it, and the first connection inside start() is not reported. Events sent while it was down may be
   * lost, so the router reconciles on `connected`.
   */
  onStreamStatus?(state: PrivateStreamState, reason?: string): void;
}

export interface TradingAdapter {
  readonly venue: string;
  readonly account: string;
  instruments(): Promise<Instrument[]>;
  start(handlers: TradingHandlers): Promise<void>;
  placeOrder(request: VenueOrderRequest): Promise<PlaceResult>;
  /**
   * Changes an open limit order's price and qty in place, keeping its client id. Optional: only venues with a
   * native amend (Binance USD-M Modify Order, Bybit v5 Amend Order) have it; the caller cancels and places otherwise.
   */
  amendOrder?(symbol: string, clientOrderId: string, change: AmendChange): Promise<AmendResult>;
  /** Resolves true when cancelled, false when the venue no longer has it open. */
  cancelOrder(symbol: string, clientOrderId: string): Promise<boolean>;
  cancelAll(symbol?: string): Promise<number>;
  openOrders(symbol?: string): Promise<VenueOrder[]>;
  queryOrder(symbol: string, clientOrderId: string): Promise<VenueOrder | undefined>;
  positions(): Promise<VenuePosition[]>;
  /**
   * The account's fills executed at or after sinceMs (exchange time), oldest first, as the same Fill (same
   * fillId) the stream delivers, so a replay de-duplicates by id. For a restarted router to adopt fills it
   * missed. Optional: an adapter without a history endpoint has none. symbols narrows the query.
   */
  fillsSince?(sinceMs: number, symbols?: string[]): Promise<Fill[]>;
  /**
   * The account's funding payments settled at or after sinceMs (venue time), oldest first, each with a
   * stable paymentId (the same on every call) and the store's sign: positive paid, negative received.
   * symbols narrows the query. An adapter whose venue has no funding history answers [] (paper: none).
   */
  fundingPayments(sinceMs: number, symbols?: string[]): Promise<FundingPayment[]>;
  /** The account's balances, one per margin asset (optional: not every adapter can tell). */
  balance?(): Promise<VenueBalance[]>;
  close(): Promise<void>;
}
