/**
 * Engine objects -> GRVT `full` wire objects (orders, fills, positions, trades, book levels, tickers, accounts).
 * Times on GRVT's wire are unix nanoseconds as strings; prices/sizes are decimal strings; order ids are hex.
 */
import { D, dec } from '@perpetua/core';
import type {
  SimBalance,
  SimFill,
  SimLevel,
  SimMark,
  SimOrder,
  SimPosition,
  SimTrade,
} from '../../engine/types.js';
import type { GrvtInstrument } from './instruments.js';
import type { SignatureWire } from './wire-schemas.js';

export const nanos = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();

/** Engine ids are decimal integers; GRVT order ids are 0x-hex. */
export const toGrvtOrderId = (orderId: string): string => `0x${BigInt(orderId).toString(16)}`;

/** The engine id behind a GRVT order id, or undefined when it is not one of ours. */
export function fromGrvtOrderId(text: string): string | undefined {
  if (!/^0x[0-9a-fA-F]{1,32}$/.test(text)) return undefined;
  return BigInt(text).toString();
}

/** Globally unique and shared by the public trade and both fills: engine trade ids count per symbol. */
export const toGrvtTradeId = (tradeId: string, inst: GrvtInstrument): string => `${tradeId}-${inst.ordinal}`;

export type GrvtOrderStatus = 'PENDING' | 'OPEN' | 'FILLED' | 'REJECTED' | 'CANCELLED';
export type GrvtRejectReason =
  | 'UNSPECIFIED'
  | 'CLIENT_CANCEL'
  | 'CLIENT_BULK_CANCEL'
  | 'MARKET_CANCEL'
  | 'IOC_CANCEL'
  | 'FOK_CANCEL'
  | 'EXPIRED'
  | 'FAIL_POST_ONLY'
  | 'FAIL_REDUCE_ONLY'
  | 'SELF_TRADE_PROTECTION'
  | 'INSTRUMENT_DEACTIVATED'
  | 'REDUCE_ONLY_LIMIT'
  | 'CLIENT_CANCEL_ON_DISCONNECT_TRIGGERED';

/** What the façade remembers of an order it accepted: the signed wire fields the engine does not keep. */
export interface GrvtOrderMeta {
  subAccountId: string;
  isMarket: boolean;
  timeInForce: string;
  postOnly: boolean;
  reduceOnly: boolean;
  size: string;
  limitPrice: string;
  signature: SignatureWire;
  createTime: string;
  /** Signature expiration (unix ns): a resting order is cancelled with EXPIRED when it passes. */
  expiration: bigint;
  /** Set when the façade itself closed the order (cancel-on-disconnect, expiry), to report GRVT's reason. */
  closeOverride?: GrvtRejectReason;
}

export function orderStatus(order: SimOrder, meta: GrvtOrderMeta | undefined): {
  status: GrvtOrderStatus;
  reason: GrvtRejectReason;
} {
  switch (order.status) {
    case 'new':
    case 'partially_filled':
      return { status: 'OPEN', reason: 'UNSPECIFIED' };
    case 'filled':
      return { status: 'FILLED', reason: 'UNSPECIFIED' };
    case 'rejected':
      return { status: 'REJECTED', reason: meta?.closeOverride ?? 'UNSPECIFIED' };
    case 'canceled':
    case 'expired': {
      if (meta?.closeOverride) return { status: 'CANCELLED', reason: meta.closeOverride };
      const byClose: Record<string, GrvtRejectReason> = {
        user: 'CLIENT_CANCEL',
        cancel_all: 'CLIENT_BULK_CANCEL',
        ioc_remainder: order.tif === 'fok' ? 'FOK_CANCEL' : 'IOC_CANCEL',
        market_remainder: 'MARKET_CANCEL',
        stp: 'SELF_TRADE_PROTECTION',
        reduce_only: 'REDUCE_ONLY_LIMIT',
        halt: 'INSTRUMENT_DEACTIVATED',
      };
      return { status: 'CANCELLED', reason: byClose[order.closeReason ?? ''] ?? 'UNSPECIFIED' };
    }
  }
}

const EMPTY_SIGNATURE: SignatureWire = { signer: `0x${'0'.repeat(40)}`, r: '0x', s: '0x', v: 0, expiration: '0', nonce: 0 };

export function orderToWire(order: SimOrder, meta: GrvtOrderMeta | undefined, inst: GrvtInstrument, subAccountId: string) {
  const { status, reason } = orderStatus(order, meta);
  const open = status === 'OPEN';
  const tifOf: Record<string, string> = { gtc: 'GOOD_TILL_TIME', post_only: 'GOOD_TILL_TIME', ioc: 'IMMEDIATE_OR_CANCEL', fok: 'FILL_OR_KILL' };
  return {
    order_id: toGrvtOrderId(order.orderId),
    sub_account_id: meta?.subAccountId ?? subAccountId,
    is_market: meta?.isMarket ?? order.type === 'market',
    time_in_force: meta?.timeInForce ?? tifOf[order.tif] ?? 'GOOD_TILL_TIME',
    post_only: meta?.postOnly ?? order.tif === 'post_only',
    reduce_only: meta?.reduceOnly ?? order.reduceOnly,
    legs: [
      {
        instrument: inst.name,
        size: meta?.size ?? order.qty,
        limit_price: meta?.limitPrice ?? (order.type === 'market' ? '0' : order.origPrice),
        is_buying_asset: order.side === 'buy',
      },
    ],
    signature: meta?.signature ?? EMPTY_SIGNATURE,
    metadata: { client_order_id: order.clientOrderId, create_time: meta?.createTime ?? nanos(order.createdAt) },
    state: {
      status,
      reject_reason: reason,
      book_size: [open ? D.toText(D.sub(dec(order.qty), dec(order.filledQty))) : '0'],
      traded_size: [order.filledQty],
      update_time: nanos(order.updatedAt),
      avg_fill_price: [order.avgFillPrice],
    },
  };
}
export type GrvtOrderWire = ReturnType<typeof orderToWire>;

export function fillToWire(
  fill: SimFill,
  inst: GrvtInstrument,
  subAccountId: string,
  signer: string,
  mark: SimMark | undefined,
) {
  const feeRate = fill.liquidity === 'maker' ? inst.sim.makerFee : inst.sim.takerFee;
  return {
    event_time: nanos(fill.ts),
    sub_account_id: subAccountId,
    instrument: inst.name,
    is_buyer: fill.side === 'buy',
    is_taker: fill.liquidity === 'taker',
    size: fill.qty,
    price: fill.price,
    mark_price: mark?.markPrice ?? fill.price,
    index_price: mark?.indexPrice ?? fill.price,
    interest_rate: '0',
    forward_price: '0',
    realized_pnl: fill.realizedPnl,
    fee: fill.fee,
    fee_rate: feeRate,
    trade_id: toGrvtTradeId(fill.tradeId, inst),
    order_id: toGrvtOrderId(fill.orderId),
    venue: 'ORDERBOOK',
    is_liquidation: false,
    client_order_id: fill.clientOrderId,
    signer,
    broker: 'UNSPECIFIED',
    is_rpi: false,
    fee_currency: fill.feeAsset,
  };
}

export function positionToWire(pos: SimPosition, inst: GrvtInstrument, subAccountId: string) {
  const qty = dec(pos.qty);
  const unrealized = dec(pos.unrealizedPnl);
  const realized = dec(pos.realizedPnl);
  const total = D.add(unrealized, realized);
  const cost = D.mul(D.abs(qty), dec(pos.entryPrice));
  const roi = cost === D.ZERO ? D.ZERO : D.mul(D.div(total, cost), dec(100));
  return {
    event_time: nanos(pos.ts),
    sub_account_id: subAccountId,
    instrument: inst.name,
    size: pos.qty,
    notional: D.toText(D.mul(qty, dec(pos.markPrice))),
    entry_price: pos.entryPrice,
    exit_price: '0',
    mark_price: pos.markPrice,
    unrealized_pnl: pos.unrealizedPnl,
    realized_pnl: pos.realizedPnl,
    total_pnl: D.toText(total),
    roi: D.toText(roi),
    quote_index_price: '1',
    est_liquidation_price: pos.liquidationPrice,
    leverage: String(pos.leverage),
    cumulative_fee: '0',
    cumulative_realized_funding_payment: '0',
    margin_type: 'cross',
  };
}

export function accountSummaryToWire(
  balance: SimBalance,
  positions: ReturnType<typeof positionToWire>[],
  subAccountId: string,
) {
  const initial = D.add(dec(balance.positionMargin), dec(balance.orderMargin));
  return {
    event_time: nanos(balance.ts),
    sub_account_id: subAccountId,
    margin_type: 'SIMPLE_CROSS_MARGIN',
    settle_currency: balance.asset,
    unrealized_pnl: balance.unrealizedPnl,
    total_equity: balance.equity,
    initial_margin: D.toText(initial),
    // The engine has no maintenance-margin model; half the position margin is a conventional stand-in.
    maintenance_margin: D.toText(D.div(dec(balance.positionMargin), dec(2))),
    available_balance: balance.available,
    spot_balances: [{ currency: balance.asset, balance: balance.wallet, index_price: '1' }],
    positions,
    settle_index_price: '1',
    is_vault: false,
    derisk_margin: '0',
    derisk_to_maintenance_margin_ratio: '0',
  };
}

export function tradeToWire(trade: SimTrade, inst: GrvtInstrument, mark: SimMark | undefined) {
  return {
    event_time: nanos(trade.ts),
    instrument: inst.name,
    is_taker_buyer: trade.side === 'buy',
    size: trade.qty,
    price: trade.price,
    mark_price: mark?.markPrice ?? trade.price,
    index_price: mark?.indexPrice ?? trade.price,
    interest_rate: '0',
    forward_price: '0',
    trade_id: toGrvtTradeId(trade.tradeId, inst),
    venue: 'ORDERBOOK',
    is_rpi: false,
  };
}

/** The engine has no order counts per level: a live level reports 1, a removed one 0. */
export const levelToWire = ([price, size]: SimLevel) => ({ price, size, num_orders: size === '0' ? 0 : 1 });

export function bookToWire(instName: string, bids: SimLevel[], asks: SimLevel[], ts: number) {
  return { event_time: nanos(ts), instrument: instName, bids: bids.map(levelToWire), asks: asks.map(levelToWire) };
}

export interface TopOfBook {
  bid?: SimLevel;
  ask?: SimLevel;
}

export function miniTickerToWire(inst: GrvtInstrument, top: TopOfBook, mark: SimMark, last: SimTrade | undefined, ts: number) {
  const mid =
    top.bid && top.ask ? D.toText(D.div(D.add(dec(top.bid[0]), dec(top.ask[0])), dec(2))) : (top.bid ?? top.ask)?.[0] ?? mark.markPrice;
  return {
    event_time: nanos(ts),
    instrument: inst.name,
    mark_price: mark.markPrice,
    index_price: mark.indexPrice,
    last_price: last?.price ?? '0',
    last_size: last?.qty ?? '0',
    mid_price: mid,
    best_bid_price: top.bid?.[0] ?? '0',
    best_bid_size: top.bid?.[1] ?? '0',
    best_ask_price: top.ask?.[0] ?? '0',
    best_ask_size: top.ask?.[1] ?? '0',
  };
}

/** GRVT states funding rates in percentage points; the engine in fractions. */
export const fundingPct = (fraction: string): string => D.toText(D.mul(dec(fraction), dec(100)));

export function tickerToWire(inst: GrvtInstrument, top: TopOfBook, mark: SimMark, trades: SimTrade[], ts: number) {
  const last = trades[trades.length - 1];
  const dayAgo = ts - 24 * 3600_000;
  let buyB = D.ZERO;
  let sellB = D.ZERO;
  let buyQ = D.ZERO;
  let sellQ = D.ZERO;
  let high: D.Decimal | undefined;
  let low: D.Decimal | undefined;
  let open: string | undefined;
  for (const t of trades) {
    if (t.ts < dayAgo) continue;
    const p = dec(t.price);
    const q = dec(t.qty);
    if (t.side === 'buy') {
      buyB = D.add(buyB, q);
      buyQ = D.add(buyQ, D.mul(p, q));
    } else {
      sellB = D.add(sellB, q);
      sellQ = D.add(sellQ, D.mul(p, q));
    }
    high = high === undefined ? p : D.max(high, p);
    low = low === undefined ? p : D.min(low, p);
    open ??= t.price;
  }
  const rate = fundingPct(mark.fundingRate);
  return {
    ...miniTickerToWire(inst, top, mark, last, ts),
    funding_rate_8h_curr: rate,
    funding_rate_8h_avg: rate,
    interest_rate: '0',
    forward_price: '0',
    buy_volume_24h_b: D.toText(buyB),
    sell_volume_24h_b: D.toText(sellB),
    buy_volume_24h_q: D.toText(buyQ),
    sell_volume_24h_q: D.toText(sellQ),
    high_price: high === undefined ? '0' : D.toText(high),
    low_price: low === undefined ? '0' : D.toText(low),
    open_price: open ?? '0',
    open_interest: '0',
    long_short_ratio: '1',
    funding_rate: rate,
    next_funding_time: nanos(mark.nextFundingTime),
  };
}

export function fundingToWire(inst: GrvtInstrument, mark: SimMark) {
  const rate = fundingPct(mark.fundingRate);
  return {
    instrument: inst.name,
    funding_rate: rate,
    funding_time: nanos(mark.ts),
    mark_price: mark.markPrice,
    funding_rate_8_h_avg: rate,
    funding_interval_hours: Math.round(mark.fundingIntervalMs / 3600_000),
  };
}

export function instrumentToWire(inst: GrvtInstrument, fundingIntervalMs: number) {
  return {
    instrument: inst.name,
    instrument_hash: inst.hash,
    base: inst.sim.asset,
    quote: inst.sim.quote,
    kind: 'PERPETUAL',
    venues: ['ORDERBOOK'],
    settlement_period: 'PERPETUAL',
    base_decimals: inst.baseDecimals,
    quote_decimals: inst.quoteDecimals,
    tick_size: inst.sim.tickSize,
    min_size: inst.sim.minQty,
    create_time: '1697788800000000000',
    max_position_size: '1000000',
    funding_interval_hours: Math.round(fundingIntervalMs / 3600_000),
    adjusted_funding_rate_cap: '2.5',
    adjusted_funding_rate_floor: '-2.5',
    min_notional: inst.sim.minNotional,
  };
}
