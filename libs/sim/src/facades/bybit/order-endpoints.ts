import { D } from '@perpetua/core';
import { z } from 'zod';
import type { SimOrder, SimOrderRef, SimTimeInForce } from '../../engine/types.js';
import { BybitErrors } from './errors.js';
import { type BybitFacadeContext, type Route, accountOf, resolveSymbol } from './facade-context.js';
import type { OrderRecord } from './order-store.js';
import { linkIdOf, orderStatus, orderWire } from './order-wire.js';
import { P, parseParams } from './request-params.js';
import { cancelledAtOnceReason, rejectionError } from './rejections.js';
import { fromWireId } from './wire-ids.js';

/** Order entry and order queries of /v5/order (signed). */

const CreateParams = z.object({
  category: P.category,
  symbol: P.symbol,
  side: z.enum(['Buy', 'Sell']),
  orderType: z.enum(['Market', 'Limit']),
  qty: P.decimal,
  price: P.decimal.optional(),
  timeInForce: z.enum(['GTC', 'IOC', 'FOK', 'PostOnly']).optional(),
  orderLinkId: P.orderLinkId.optional(),
  reduceOnly: z.boolean().optional(),
  closeOnTrigger: z.boolean().optional(),
  positionIdx: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  isLeverage: z.number().int().optional(),
  orderFilter: z.literal('Order').optional(),
  smpType: z.string().max(32).optional(),
});

/** Conditional and TP/SL parameters: valid on Bybit, but the simulator matches plain orders only. */
const UNSUPPORTED = ['triggerPrice', 'triggerDirection', 'takeProfit', 'stopLoss', 'tpslMode', 'tpTriggerBy', 'slTriggerBy', 'marketUnit'];

const CancelParams = z.object({
  category: P.category,
  symbol: P.symbol,
  orderId: z.string().max(64).optional(),
  orderLinkId: P.orderLinkId.optional(),
  orderFilter: z.string().max(32).optional(),
});

/** POST /v5/order/amend: by orderId or orderLinkId; absent (or empty) qty / price stays as it is. */
const AmendParams = z.object({
  category: P.category,
  symbol: P.symbol,
  orderId: z.string().max(64).optional(),
  orderLinkId: P.orderLinkId.optional(),
  qty: P.decimal.or(z.literal('')).optional(),
  price: P.decimal.or(z.literal('')).optional(),
});

const CancelAllParams = z.object({
  category: P.category,
  symbol: P.symbol.optional(),
  baseCoin: z.string().max(16).optional(),
  settleCoin: z.string().max(16).optional(),
  orderFilter: z.string().max(32).optional(),
});

const RealtimeParams = z.object({
  category: P.category,
  symbol: P.symbol.optional(),
  baseCoin: z.string().max(16).optional(),
  settleCoin: z.string().max(16).optional(),
  orderId: z.string().max(64).optional(),
  orderLinkId: P.orderLinkId.optional(),
  openOnly: z.enum(['0', '1', '2']).optional(),
  orderFilter: z.string().max(32).optional(),
  limit: P.integer.optional(),
  cursor: z.string().max(128).optional(),
});

const HistoryParams = RealtimeParams.extend({
  orderStatus: z.enum(['New', 'PartiallyFilled', 'Filled', 'Cancelled', 'Rejected', 'Untriggered', 'Triggered', 'Deactivated', 'Active']).optional(),
  startTime: P.integer.optional(),
  endTime: P.integer.optional(),
});

const TIF: Record<'GTC' | 'IOC' | 'FOK' | 'PostOnly', SimTimeInForce> = { GTC: 'gtc', IOC: 'ioc', FOK: 'fok', PostOnly: 'post_only' };

function createOrder(ctx: BybitFacadeContext, params: Record<string, unknown>, accountId: string) {
  const p = parseParams(CreateParams, params);
  const inst = resolveSymbol(ctx, p.symbol);
  for (const name of UNSUPPORTED) if (params[name] !== undefined && params[name] !== '') throw BybitErrors.params(`${name} is not supported by the simulator`);
  if (p.positionIdx !== undefined && p.positionIdx !== 0) throw BybitErrors.params('position idx not match position mode');
  if (D.dec(p.qty) === D.ZERO) throw BybitErrors.params('Qty invalid');
  const type = p.orderType === 'Limit' ? 'limit' : 'market';
  if (type === 'limit') {
    if (p.price === undefined) throw BybitErrors.params('price is empty');
    if (D.dec(p.price) === D.ZERO) throw BybitErrors.params('price invalid');
  }
  if (type === 'market' && p.timeInForce === 'PostOnly') throw BybitErrors.params('timeInForce invalid');
  const tif: SimTimeInForce = p.timeInForce !== undefined ? TIF[p.timeInForce] : type === 'limit' ? 'gtc' : 'ioc';
  const price = type === 'limit' && p.price !== undefined ? D.toText(D.dec(p.price)) : undefined;
  const qty = D.toText(D.dec(p.qty));
  const side = p.side === 'Buy' ? 'buy' : 'sell';
  const result = ctx.engine.placeOrder({
    accountId,
    symbol: inst.symbol,
    side,
    type,
    ...(price !== undefined ? { price } : {}),
    qty,
    tif,
    reduceOnly: p.reduceOnly === true,
    ...(p.orderLinkId !== undefined ? { clientOrderId: p.orderLinkId } : {}),
  });
  if (result.ok) return { orderId: orderRecord(ctx, result.order).wireId, orderLinkId: linkIdOf(result.order) };
  const reason = cancelledAtOnceReason(result);
  if (reason === undefined) throw rejectionError(result, inst);
  // Bybit accepts the order and cancels it at once (the engine refuses it outright): record and push that.
  const now = ctx.marketTime();
  const order: Omit<SimOrder, 'orderId'> = {
    clientOrderId: p.orderLinkId ?? '',
    accountId,
    symbol: inst.symbol,
    side,
    type,
    tif,
    price: price ?? '0',
    origPrice: price ?? '0',
    qty,
    filledQty: '0',
    avgFillPrice: '0',
    filledNotional: '0',
    status: 'canceled',
    reduceOnly: p.reduceOnly === true,
    createdAt: now,
    updatedAt: now,
  };
  const rec = ctx.orders.addCancelledAtOnce(order, reason);
  ctx.publishOrder(rec);
  return { orderId: rec.wireId, orderLinkId: rec.order.clientOrderId };
}

const orderRecord = (ctx: BybitFacadeContext, o: SimOrder): OrderRecord => ctx.orders.ofEngineOrder(o);

/** The engine reference of a wire order id / link id; an id the engine never issued finds nothing. */
function engineRef(orderId: string | undefined, orderLinkId: string | undefined): SimOrderRef | undefined {
  if (orderId !== undefined && orderId !== '') {
    const id = fromWireId('order', orderId);
    return id === undefined ? undefined : { orderId: id };
  }
  if (orderLinkId !== undefined) return { clientOrderId: orderLinkId };
  throw BybitErrors.params('orderId or orderLinkId is required');
}

function cancelOrder(ctx: BybitFacadeContext, params: Record<string, unknown>, accountId: string) {
  const p = parseParams(CancelParams, params);
  const inst = resolveSymbol(ctx, p.symbol);
  const ref = engineRef(p.orderId, p.orderLinkId);
  if (!ref) throw BybitErrors.orderNotFound();
  const r = ctx.engine.cancelOrder(accountId, inst.symbol, ref);
  if (!r.ok) throw rejectionError(r, inst);
  return { orderId: orderRecord(ctx, r.order).wireId, orderLinkId: linkIdOf(r.order) };
}

function amendOrder(ctx: BybitFacadeContext, params: Record<string, unknown>, accountId: string) {
  const p = parseParams(AmendParams, params);
  const inst = resolveSymbol(ctx, p.symbol);
  for (const name of UNSUPPORTED) if (params[name] !== undefined && params[name] !== '') throw BybitErrors.params(`${name} is not supported by the simulator`);
  const ref = engineRef(p.orderId, p.orderLinkId);
  if (!ref) throw BybitErrors.orderNotFound();
  const qty = p.qty === undefined || p.qty === '' ? undefined : p.qty;
  const price = p.price === undefined || p.price === '' ? undefined : p.price;
  if (qty !== undefined && D.dec(qty) === D.ZERO) throw BybitErrors.params('Qty invalid');
  if (price !== undefined && D.dec(price) === D.ZERO) throw BybitErrors.params('price invalid');
  const current = ctx.engine.getOrder(accountId, inst.symbol, ref);
  if (!current) throw BybitErrors.orderNotFound();
  // Bybit amends only unfilled or partially filled orders.
  if (current.status !== 'new' && current.status !== 'partially_filled') throw BybitErrors.orderFinished();
  const r = ctx.engine.amendOrder(accountId, inst.symbol, { orderId: current.orderId }, {
    ...(qty !== undefined ? { qty: D.toText(D.dec(qty)) } : {}),
    ...(price !== undefined ? { price: D.toText(D.dec(price)) } : {}),
  });
  if (!r.ok) throw rejectionError(r, inst);
  return { orderId: orderRecord(ctx, r.order).wireId, orderLinkId: linkIdOf(r.order) };
}

function cancelAll(ctx: BybitFacadeContext, params: Record<string, unknown>, accountId: string) {
  const p = parseParams(CancelAllParams, params);
  if (p.symbol === undefined && p.baseCoin === undefined && p.settleCoin === undefined) throw BybitErrors.params('symbol, baseCoin or settleCoin is required');
  const insts = p.symbol !== undefined ? [resolveSymbol(ctx, p.symbol)] : ctx.symbols.instruments();
  const wanted = insts.filter((i) => (p.baseCoin === undefined || i.asset === p.baseCoin) && (p.settleCoin === undefined || i.quote === p.settleCoin));
  const cancelled = wanted.flatMap((i) => ctx.engine.cancelAll(accountId, i.symbol));
  return { list: cancelled.map((o) => ({ orderId: orderRecord(ctx, o).wireId, orderLinkId: linkIdOf(o) })), success: '1' };
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return 20;
  const n = Number(text);
  if (n < 1 || n > 50) throw BybitErrors.params('limit invalid');
  return n;
}

function wire(ctx: BybitFacadeContext, recs: OrderRecord[]) {
  const quote = ctx.engine.config.quote;
  return recs.map((r) => orderWire(r, ctx.symbols.toVenue(r.order.symbol), quote));
}

function realtime(ctx: BybitFacadeContext, params: Record<string, unknown>, accountId: string) {
  const p = parseParams(RealtimeParams, params);
  if (p.symbol === undefined && p.baseCoin === undefined && p.settleCoin === undefined) throw BybitErrors.params('symbol, baseCoin or settleCoin is required');
  const inst = p.symbol !== undefined ? resolveSymbol(ctx, p.symbol) : undefined;
  const limit = limitOf(p.limit);
  const open = ctx.engine
    .openOrders(accountId, inst?.symbol)
    .filter((o) => p.baseCoin === undefined || o.symbol === `${p.baseCoin}-PERP`)
    .map((o) => orderRecord(ctx, o));
  let list: OrderRecord[];
  if ((p.orderId !== undefined && p.orderId !== '') || p.orderLinkId !== undefined) {
    // By id Bybit also finds recently closed orders.
    const match = (r: OrderRecord) => (p.orderId ? r.wireId === p.orderId : linkIdOf(r.order) === p.orderLinkId);
    const closed = ctx.orders.closedOrders(accountId).filter((r) => inst === undefined || r.order.symbol === inst.symbol);
    list = [...open.filter(match), ...closed.filter(match)].slice(0, 1);
  } else {
    list = open.sort((a, b) => b.order.createdAt - a.order.createdAt).slice(0, limit);
  }
  return { category: 'linear', list: wire(ctx, list), nextPageCursor: '' };
}

const WEEK_MS = 7 * 24 * 3600_000;

/** Closed orders only (open ones are on /v5/order/realtime), newest first. */
function history(ctx: BybitFacadeContext, params: Record<string, unknown>, accountId: string) {
  const p = parseParams(HistoryParams, params);
  const inst = p.symbol !== undefined ? resolveSymbol(ctx, p.symbol) : undefined;
  const limit = limitOf(p.limit);
  const end = p.endTime !== undefined ? Number(p.endTime) : undefined;
  const start = p.startTime !== undefined ? Number(p.startTime) : end !== undefined ? end - WEEK_MS : undefined;
  const list = ctx.orders
    .closedOrders(accountId)
    .filter((r) => inst === undefined || r.order.symbol === inst.symbol)
    .filter((r) => p.orderId === undefined || p.orderId === '' || r.wireId === p.orderId)
    .filter((r) => p.orderLinkId === undefined || linkIdOf(r.order) === p.orderLinkId)
    .filter((r) => p.orderStatus === undefined || orderStatus(r.order) === p.orderStatus)
    .filter((r) => (start === undefined || r.order.updatedAt >= start) && (end === undefined || r.order.updatedAt <= end))
    .slice(0, limit);
  return { category: 'linear', list: wire(ctx, list), nextPageCursor: '' };
}

export const orderRoutes: Route[] = [
  { method: 'POST', path: '/v5/order/create', signed: true, handle: (ctx, req, cred) => createOrder(ctx, req.params, accountOf(cred)) },
  { method: 'POST', path: '/v5/order/cancel', signed: true, handle: (ctx, req, cred) => cancelOrder(ctx, req.params, accountOf(cred)) },
  { method: 'POST', path: '/v5/order/amend', signed: true, handle: (ctx, req, cred) => amendOrder(ctx, req.params, accountOf(cred)) },
  { method: 'POST', path: '/v5/order/cancel-all', signed: true, handle: (ctx, req, cred) => cancelAll(ctx, req.params, accountOf(cred)) },
  { method: 'GET', path: '/v5/order/realtime', signed: true, handle: (ctx, req, cred) => realtime(ctx, req.params, accountOf(cred)) },
  { method: 'GET', path: '/v5/order/history', signed: true, handle: (ctx, req, cred) => history(ctx, req.params, accountOf(cred)) },
];
