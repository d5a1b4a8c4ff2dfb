/**
 * Engine objects → StandX JSON, field for field as in StandX's docs (query_order,
 * query_trades, query_positions, query_balance, the market-stream channels).
 * Decimals go out as strings padded to the symbol's tick/lot decimals, the way StandX
 * writes them ("121900.00", "0.060"); times as ISO 8601; ids as JSON integers.
 */
import { abs, add, dec, div, mul, sub, toText, type Decimal } from '@perpetua/core';
import type {
  SimBalance,
  SimBookSnapshot,
  SimLevel,
  SimFill,
  SimInstrument,
  SimMark,
  SimOrder,
  SimPosition,
  SimTrade,
} from '../../engine/types.js';
import { toStandxSymbol } from './symbols.js';

export type StandxOrderStatus = 'open' | 'canceled' | 'filled' | 'rejected' | 'untriggered';
export type MarginMode = 'cross' | 'isolated';

export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** Pads a canonical decimal to at least `places` fraction digits (never rounds). */
export function pad(value: string, places: number): string {
  if (places <= 0) return value;
  const dot = value.indexOf('.');
  const frac = dot < 0 ? 0 : value.length - dot - 1;
  if (frac >= places) return value;
  return (dot < 0 ? `${value}.` : value) + '0'.repeat(places - frac);
}

const D = (s: string): Decimal => dec(s);
const T = (d: Decimal): string => toText(d);
const toInt = (id: string): number => Number(id);

export function statusOf(order: SimOrder): StandxOrderStatus {
  switch (order.status) {
    case 'new':
    case 'partially_filled':
      return 'open';
    case 'filled':
      return 'filled';
    case 'rejected':
      return 'rejected';
    case 'canceled':
    case 'expired':
      return 'canceled';
  }
}

export const tifOf = (order: SimOrder): 'gtc' | 'ioc' | 'alo' =>
  order.tif === 'post_only' ? 'alo' : order.tif === 'gtc' ? 'gtc' : 'ioc';

export interface AccountView {
  /** StandX's `user` field ("bsc_0x..." on the real venue). */
  user: string;
  leverage: number;
  marginMode: MarginMode;
  positionId: number;
}

/**
 * The status as the dialect words it: the documented enum (new and partly filled are both `open`, expired is
 * `canceled`), or the extended one that also says `new`, `partially_filled` and `expired`.
 */
export function wireStatusOf(order: SimOrder, statuses: 'documented' | 'extended'): string {
  if (statuses === 'documented') return statusOf(order);
  return order.status;
}

export function orderToWire(order: SimOrder, inst: SimInstrument, view: AccountView, remark = '', statuses: 'documented' | 'extended' = 'documented') {
  const remaining = sub(D(order.qty), D(order.filledQty));
  const lev = dec(view.leverage);
  const open = statusOf(order) === 'open';
  const refPrice = order.type === 'limit' ? D(order.price) : D(order.avgFillPrice);
  return {
    avail_locked: pad(T(open ? div(mul(remaining, refPrice), lev) : (0n as Decimal)), inst.pricePrecision),
    cl_ord_id: order.clientOrderId,
    closed_block: -1,
    created_at: isoTime(order.createdAt),
    created_block: -1,
    fill_avg_price: order.filledQty === '0' ? '0' : pad(order.avgFillPrice, inst.pricePrecision),
    fill_qty: order.filledQty === '0' ? '0' : pad(order.filledQty, inst.qtyPrecision),
    id: toInt(order.orderId),
    leverage: String(view.leverage),
    liq_id: 0,
    margin: T(div(D(order.filledNotional), lev)),
    order_type: order.type,
    payload: null,
    position_id: view.positionId,
    price: pad(order.price, inst.pricePrecision),
    qty: pad(order.qty, inst.qtyPrecision),
    reduce_only: order.reduceOnly,
    remark: remark || (order.closeReason ?? ''),
    side: order.side,
    source: 'user',
    status: wireStatusOf(order, statuses),
    symbol: toStandxSymbol(order.symbol),
    time_in_force: tifOf(order),
    updated_at: isoTime(order.updatedAt),
    user: view.user,
  };
}
export type WireOrder = ReturnType<typeof orderToWire>;

/** The stream's trade record without `id` and the undocumented `cl_ord_id` (the dialect without trade ids). */
export function fillToStreamWire(fill: SimFill, inst: SimInstrument, user: string, withIds: boolean) {
  const wire = fillToWire(fill, inst, user);
  if (withIds) return wire;
  const { id: _id, cl_ord_id: _cl, ...rest } = wire;
  return rest;
}

export function fillToWire(fill: SimFill, inst: SimInstrument, user: string) {
  return {
    created_at: isoTime(fill.ts),
    fee_asset: fill.feeAsset,
    fee_qty: fill.fee,
    id: toInt(fill.fillId),
    order_id: toInt(fill.orderId),
    pnl: fill.realizedPnl,
    price: pad(fill.price, inst.pricePrecision),
    qty: pad(fill.qty, inst.qtyPrecision),
    side: fill.side,
    symbol: toStandxSymbol(fill.symbol),
    updated_at: isoTime(fill.ts),
    user,
    value: fill.notional,
    // Not in StandX's documented trade record; the order's client id saves a lookup.
    cl_ord_id: fill.clientOrderId,
  };
}
export type WireFill = ReturnType<typeof fillToWire>;

export function positionToWire(pos: SimPosition, inst: SimInstrument, view: AccountView, createdAt: number) {
  const qty = D(pos.qty);
  const size = abs(qty);
  return {
    bankruptcy_price: pad(pos.liquidationPrice, inst.pricePrecision),
    created_at: isoTime(createdAt),
    entry_price: pad(pos.entryPrice, inst.pricePrecision),
    entry_value: T(mul(size, D(pos.entryPrice))),
    holding_margin: pos.initialMargin,
    id: view.positionId,
    initial_margin: pos.initialMargin,
    leverage: String(pos.leverage),
    liq_price: pad(pos.liquidationPrice, inst.pricePrecision),
    // The engine does not model maintenance margin; StandX's field is kept, as zero.
    maint_margin: '0',
    margin_asset: inst.quote,
    margin_mode: view.marginMode,
    mark_price: pad(pos.markPrice, inst.pricePrecision),
    mmr: '0',
    position_value: T(mul(size, D(pos.markPrice))),
    qty: pad(pos.qty, inst.qtyPrecision),
    realized_pnl: pos.realizedPnl,
    status: qty === 0n ? 'closed' : 'open',
    symbol: toStandxSymbol(pos.symbol),
    time: isoTime(pos.ts),
    updated_at: isoTime(pos.ts),
    upnl: pos.unrealizedPnl,
    user: view.user,
  };
}

/** query_balance: StandX's unified snapshot. The simulator has one (cross) wallet. */
export function balanceToWire(bal: SimBalance) {
  const crossAvailable = add(sub(sub(D(bal.wallet), D(bal.positionMargin)), D(bal.orderMargin)), D(bal.unrealizedPnl));
  return {
    isolated_balance: '0',
    isolated_upnl: '0',
    cross_balance: bal.wallet,
    cross_margin: bal.positionMargin,
    cross_upnl: bal.unrealizedPnl,
    locked: bal.orderMargin,
    cross_available: T(crossAvailable),
    balance: bal.wallet,
    upnl: bal.unrealizedPnl,
    equity: bal.equity,
    pnl_freeze: '0',
  };
}

/** The market stream's `balance` channel record. */
export function balanceToStreamWire(bal: SimBalance, user: string, createdAt: number) {
  return {
    account_type: 'perps',
    created_at: isoTime(createdAt),
    free: bal.available,
    id: user,
    inbound: '0',
    is_enabled: true,
    kind: 'user',
    last_tx: '',
    last_tx_updated_at: 0,
    locked: bal.orderMargin,
    occupied: bal.positionMargin,
    outbound: '0',
    ref_id: 0,
    token: bal.asset,
    total: bal.wallet,
    updated_at: isoTime(bal.ts),
    version: 0,
    wallet_id: user,
  };
}

/**
 * Full depth snapshot. `order` permutes the levels: StandX does not promise sorted levels, nor do we. It receives
 * arrays built here for this message, so it may reorder them in place.
 */
export function depthToWire(book: SimBookSnapshot, inst: SimInstrument, order: <T>(levels: T[]) => T[]) {
  // Most engine texts already carry the full decimals: those levels go out as the engine's own (read-only) pair.
  const lv = (l: SimLevel): SimLevel => {
    const p = pad(l[0], inst.pricePrecision);
    const q = pad(l[1], inst.qtyPrecision);
    return p === l[0] && q === l[1] ? l : [p, q];
  };
  return {
    asks: order(book.asks.map(lv)),
    bids: order(book.bids.map(lv)),
    symbol: toStandxSymbol(book.symbol),
  };
}

/**
 * JSON.stringify(depthToWire(book, inst, order)), written directly: this is the stream's per-message cost, and the
 * texts are engine decimals (digits and a point, nothing to escape), so the generic serializer's work is not needed.
 */
export function depthToWireJson(book: SimBookSnapshot, inst: SimInstrument, order: <T>(levels: T[]) => T[]): string {
  const wire = depthToWire(book, inst, order);
  return `{"asks":${levelsJson(wire.asks)},"bids":${levelsJson(wire.bids)},"symbol":${JSON.stringify(wire.symbol)}}`;
}

function levelsJson(levels: readonly SimLevel[]): string {
  const parts: string[] = new Array(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    parts[i] = `["${l[0]}","${l[1]}"]`;
  }
  return `[${parts.join(',')}]`;
}

interface Top {
  bid: string | undefined;
  ask: string | undefined;
  last: string | undefined;
}

function priceCore(mark: SimMark, inst: SimInstrument, top: Top) {
  const midPrice = top.bid !== undefined && top.ask !== undefined ? T(div(add(D(top.bid), D(top.ask)), dec(2))) : null;
  return {
    base: inst.asset,
    index_price: mark.indexPrice,
    last_price: top.last !== undefined ? pad(top.last, inst.pricePrecision) : null,
    mark_price: mark.markPrice,
    mid_price: midPrice,
    quote: inst.quote,
  };
}

/** The `price` channel record. */
export function priceToStreamWire(mark: SimMark, inst: SimInstrument, top: Top) {
  const core = priceCore(mark, inst, top);
  return {
    ...core,
    spread: [top.bid ?? null, top.ask ?? null],
    symbol: toStandxSymbol(mark.symbol),
    time: isoTime(mark.ts),
  };
}

/** GET /api/query_symbol_price. */
export function priceToWire(mark: SimMark, inst: SimInstrument, top: Top) {
  const core = priceCore(mark, inst, top);
  return {
    ...core,
    spread_ask: top.ask ?? null,
    spread_bid: top.bid ?? null,
    symbol: toStandxSymbol(mark.symbol),
    time: isoTime(mark.ts),
  };
}

export interface DayStats {
  high: string | undefined;
  low: string | undefined;
  volume: string;
}

/** GET /api/query_symbol_market. */
export function marketToWire(mark: SimMark, inst: SimInstrument, top: Top, stats: DayStats, openInterest: string) {
  const core = priceCore(mark, inst, top);
  return {
    base: core.base,
    funding_rate: mark.fundingRate,
    high_price_24h: stats.high ?? null,
    index_price: core.index_price,
    last_price: core.last_price,
    low_price_24h: stats.low ?? null,
    mark_price: core.mark_price,
    mid_price: core.mid_price,
    next_funding_time: isoTime(mark.nextFundingTime),
    open_interest: openInterest,
    quote: core.quote,
    spread: [top.bid ?? null, top.ask ?? null],
    symbol: toStandxSymbol(mark.symbol),
    time: isoTime(mark.ts),
    volume_24h: stats.volume,
  };
}

/** query_recent_trades record; the public_trade channel adds id and side. */
export function publicTradeToWire(trade: SimTrade, inst: SimInstrument) {
  return {
    is_buyer_taker: trade.side === 'buy',
    price: pad(trade.price, inst.pricePrecision),
    qty: pad(trade.qty, inst.qtyPrecision),
    quote_qty: T(mul(D(trade.price), D(trade.qty))),
    symbol: toStandxSymbol(trade.symbol),
    time: isoTime(trade.ts),
  };
}

/** `withIds` false: the dialect without trade ids (the stream payload is undocumented; `side` is an extra too). */
export function publicTradeToStreamWire(trade: SimTrade, inst: SimInstrument, withIds = true) {
  return withIds ? { id: toInt(trade.tradeId), side: trade.side, ...publicTradeToWire(trade, inst) } : publicTradeToWire(trade, inst);
}

export function symbolInfoToWire(inst: SimInstrument, createdAt: number) {
  return {
    base_asset: inst.asset,
    base_decimals: 9,
    created_at: isoTime(createdAt),
    def_leverage: String(inst.defaultLeverage),
    depth_ticks: [inst.tickSize, T(mul(D(inst.tickSize), dec(10))), T(mul(D(inst.tickSize), dec(100)))].join(','),
    enabled: true,
    maker_fee: inst.makerFee,
    max_leverage: String(inst.maxLeverage),
    max_open_orders: '100',
    max_order_qty: '100000',
    max_position_size: '1000000',
    min_order_qty: inst.minQty,
    price_cap_ratio: '0.3',
    price_floor_ratio: '0.3',
    price_tick_decimals: inst.pricePrecision,
    qty_tick_decimals: inst.qtyPrecision,
    quote_asset: inst.quote,
    quote_decimals: 9,
    symbol: toStandxSymbol(inst.symbol),
    taker_fee: inst.takerFee,
    updated_at: isoTime(createdAt),
    // Not in StandX's record (it states ticks as decimals only); exact steps for clients that want them.
    tick_size: inst.tickSize,
    lot_size: inst.lotSize,
  };
}
