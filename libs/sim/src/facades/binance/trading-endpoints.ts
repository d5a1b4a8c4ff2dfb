import { D } from '@perpetua/core';
import { z } from 'zod';
import type { SimOrderRef, SimTimeInForce } from '../../engine/types.js';
import { BinanceErrors } from './errors.js';
import { type BinanceFacadeContext, type RestRequest, type Route, resolveSymbol, signedAccount } from './facade-context.js';
import { orderAck, orderResponse, userTrade } from './order-wire.js';
import { P, decimalPlaces, isTrue, parseParams } from './request-params.js';
import { rejectionError } from './rejections.js';

/** Order entry and order/trade queries of /fapi (security SIGNED). */

const NewOrderParams = z.object({
  symbol: P.symbol,
  side: z.enum(['BUY', 'SELL']),
  type: z.enum(['LIMIT', 'MARKET']),
  quantity: P.decimal,
  price: P.decimal.optional(),
  timeInForce: z.enum(['GTC', 'IOC', 'FOK', 'GTX']).optional(),
  positionSide: z.enum(['BOTH', 'LONG', 'SHORT']).optional(),
  reduceOnly: P.bool.optional(),
  newClientOrderId: P.clientOrderId.optional(),
  newOrderRespType: z.enum(['ACK', 'RESULT']).optional(),
  // Accepted for compatibility; self-trade prevention is the venue's configured mode.
  selfTradePreventionMode: z.enum(['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH']).optional(),
  priceMatch: z.enum(['NONE']).optional(),
});

/** Parameters of conditional orders, which the simulator does not match. */
const CONDITIONAL_PARAMS = ['stopPrice', 'closePosition', 'activationPrice', 'callbackRate', 'workingType', 'priceProtect', 'goodTillDate'];

const OrderRefParams = z.object({
  symbol: P.symbol,
  orderId: P.integer.optional(),
  origClientOrderId: P.clientOrderId.optional(),
});

/** PUT /fapi/v1/order: USD-M needs both quantity and price (unlike /dapi), plus the side, which must match. */
const ModifyParams = z.object({
  symbol: P.symbol,
  orderId: P.integer.optional(),
  origClientOrderId: P.clientOrderId.optional(),
  side: z.enum(['BUY', 'SELL']),
  quantity: P.decimal,
  price: P.decimal,
  positionSide: z.enum(['BOTH', 'LONG', 'SHORT']).optional(),
  priceMatch: z.enum(['NONE']).optional(),
  origType: z.enum(['LIMIT']).optional(),
});

const SymbolParam = z.object({ symbol: P.symbol });
const OptionalSymbol = z.object({ symbol: P.symbol.optional() });

const HistoryParams = z.object({
  symbol: P.symbol,
  orderId: P.integer.optional(),
  fromId: P.integer.optional(),
  startTime: P.integer.optional(),
  endTime: P.integer.optional(),
  limit: P.integer.optional(),
});

const TIF: Record<'GTC' | 'IOC' | 'FOK' | 'GTX', SimTimeInForce> = { GTC: 'gtc', IOC: 'ioc', FOK: 'fok', GTX: 'post_only' };

function placeOrder(ctx: BinanceFacadeContext, req: RestRequest, accountId: string) {
  const p = parseParams(NewOrderParams, req.params);
  const { inst, venueSymbol } = resolveSymbol(ctx, p.symbol);
  for (const name of CONDITIONAL_PARAMS) if (req.params[name] !== undefined) throw BinanceErrors.paramNotRequired(name);
  if (p.positionSide !== undefined && p.positionSide !== 'BOTH') throw BinanceErrors.positionSideMismatch();
  if (p.type === 'LIMIT') {
    if (p.timeInForce === undefined) throw BinanceErrors.mandatoryParam('timeInForce');
    if (p.price === undefined) throw BinanceErrors.mandatoryParam('price');
  } else {
    if (p.price !== undefined) throw BinanceErrors.paramNotRequired('price');
    if (p.timeInForce !== undefined) throw BinanceErrors.paramNotRequired('timeInForce');
  }
  // Precision first: the regex admits 20 decimals, more than an exact Decimal holds (and than Binance accepts).
  if (decimalPlaces(p.quantity) > inst.qtyPrecision) throw BinanceErrors.badPrecision();
  if (p.price !== undefined && decimalPlaces(p.price) > inst.pricePrecision) throw BinanceErrors.badPrecision();
  if (D.dec(p.quantity) === D.ZERO) throw BinanceErrors.qtyLessThanZero();
  if (p.price !== undefined && D.dec(p.price) === D.ZERO) throw BinanceErrors.priceLessThanZero();
  const result = ctx.engine.placeOrder({
    accountId,
    symbol: inst.symbol,
    side: p.side === 'BUY' ? 'buy' : 'sell',
    type: p.type === 'LIMIT' ? 'limit' : 'market',
    ...(p.price !== undefined ? { price: D.toText(D.dec(p.price)) } : {}),
    qty: D.toText(D.dec(p.quantity)),
    tif: p.timeInForce === undefined ? 'ioc' : TIF[p.timeInForce],
    reduceOnly: isTrue(p.reduceOnly),
    ...(p.newClientOrderId !== undefined ? { clientOrderId: p.newClientOrderId } : {}),
  });
  if (!result.ok) throw rejectionError(result, 'place', inst);
  const stp = ctx.engine.config.stpMode;
  return p.newOrderRespType === 'RESULT'
    ? orderResponse(result.order, venueSymbol, stp, false)
    : orderAck(result.order, venueSymbol, stp);
}

function modifyOrder(ctx: BinanceFacadeContext, req: RestRequest, accountId: string) {
  const p = parseParams(ModifyParams, req.params);
  const { inst, venueSymbol } = resolveSymbol(ctx, p.symbol);
  const ref = orderRef(p);
  if (p.positionSide !== undefined && p.positionSide !== 'BOTH') throw BinanceErrors.positionSideMismatch();
  if (decimalPlaces(p.quantity) > inst.qtyPrecision || decimalPlaces(p.price) > inst.pricePrecision) throw BinanceErrors.badPrecision();
  if (D.dec(p.quantity) === D.ZERO) throw BinanceErrors.qtyLessThanZero();
  if (D.dec(p.price) === D.ZERO) throw BinanceErrors.priceLessThanZero();
  const current = ctx.engine.getOrder(accountId, inst.symbol, ref);
  if (!current || (current.status !== 'new' && current.status !== 'partially_filled')) throw BinanceErrors.noSuchOrder();
  if ((current.side === 'buy' ? 'BUY' : 'SELL') !== p.side) throw BinanceErrors.invalidSide();
  const r = ctx.engine.amendOrder(accountId, inst.symbol, { orderId: current.orderId }, { price: D.toText(D.dec(p.price)), qty: D.toText(D.dec(p.quantity)) });
  if (!r.ok) throw rejectionError(r, 'amend', inst);
  return orderResponse(r.order, venueSymbol, ctx.engine.config.stpMode, false);
}

function orderRef(p: { orderId?: string | undefined; origClientOrderId?: string | undefined }): SimOrderRef {
  if (p.orderId === undefined && p.origClientOrderId === undefined) throw BinanceErrors.mandatoryEither('origClientOrderId', 'orderId');
  return p.orderId !== undefined ? { orderId: String(Number(p.orderId)) } : { clientOrderId: p.origClientOrderId as string };
}

const limitOf = (text: string | undefined): number => {
  if (text === undefined) return 500;
  const n = Number(text);
  if (n < 1) throw BinanceErrors.invalidParam('limit');
  return Math.min(n, 1000);
};

export const tradingRoutes: Route[] = [
  {
    method: 'POST',
    path: '/fapi/v1/order',
    security: 'SIGNED',
    handle: (ctx, req, cred) => placeOrder(ctx, req, signedAccount(cred)),
  },
  {
    method: 'PUT',
    path: '/fapi/v1/order',
    security: 'SIGNED',
    handle: (ctx, req, cred) => modifyOrder(ctx, req, signedAccount(cred)),
  },
  {
    method: 'GET',
    path: '/fapi/v1/order',
    security: 'SIGNED',
    handle: (ctx, req, cred) => {
      const p = parseParams(OrderRefParams, req.params);
      const { inst, venueSymbol } = resolveSymbol(ctx, p.symbol);
      const order = ctx.engine.getOrder(signedAccount(cred), inst.symbol, orderRef(p));
      if (!order) throw BinanceErrors.noSuchOrder();
      return orderResponse(order, venueSymbol, ctx.engine.config.stpMode, true);
    },
  },
  {
    method: 'DELETE',
    path: '/fapi/v1/order',
    security: 'SIGNED',
    handle: (ctx, req, cred) => {
      const p = parseParams(OrderRefParams, req.params);
      const { inst, venueSymbol } = resolveSymbol(ctx, p.symbol);
      const r = ctx.engine.cancelOrder(signedAccount(cred), inst.symbol, orderRef(p));
      if (!r.ok) throw rejectionError(r, 'cancel', inst);
      return orderResponse(r.order, venueSymbol, ctx.engine.config.stpMode, false);
    },
  },
  {
    method: 'DELETE',
    path: '/fapi/v1/allOpenOrders',
    security: 'SIGNED',
    handle: (ctx, req, cred) => {
      const p = parseParams(SymbolParam, req.params);
      const { inst } = resolveSymbol(ctx, p.symbol);
      ctx.engine.cancelAll(signedAccount(cred), inst.symbol);
      return { code: 200, msg: 'The operation of cancel all open order is done.' };
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/openOrders',
    security: 'SIGNED',
    handle: (ctx, req, cred) => {
      const p = parseParams(OptionalSymbol, req.params);
      const inst = p.symbol === undefined ? undefined : resolveSymbol(ctx, p.symbol).inst;
      const stp = ctx.engine.config.stpMode;
      return ctx.engine
        .openOrders(signedAccount(cred), inst?.symbol)
        .map((o) => orderResponse(o, ctx.symbols.toVenue(o.symbol), stp, true));
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/openOrder',
    security: 'SIGNED',
    handle: (ctx, req, cred) => {
      const p = parseParams(OrderRefParams, req.params);
      const { inst, venueSymbol } = resolveSymbol(ctx, p.symbol);
      const order = ctx.engine.getOrder(signedAccount(cred), inst.symbol, orderRef(p));
      if (!order || (order.status !== 'new' && order.status !== 'partially_filled')) throw BinanceErrors.noSuchOrder();
      return orderResponse(order, venueSymbol, ctx.engine.config.stpMode, true);
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/allOrders',
    security: 'SIGNED',
    handle: (ctx, req, cred) => {
      const p = parseParams(HistoryParams, req.params);
      const { inst, venueSymbol } = resolveSymbol(ctx, p.symbol);
      const fromOrder = p.orderId === undefined ? 0 : Number(p.orderId);
      const start = p.startTime === undefined ? -Infinity : Number(p.startTime);
      const end = p.endTime === undefined ? Infinity : Number(p.endTime);
      const stp = ctx.engine.config.stpMode;
      const orders = ctx.history
        .list(signedAccount(cred), inst.symbol)
        .filter((o) => Number(o.orderId) >= fromOrder && o.createdAt >= start && o.createdAt <= end);
      const limit = limitOf(p.limit);
      // From orderId: the first `limit` from there; otherwise the most recent `limit`.
      const page = p.orderId !== undefined ? orders.slice(0, limit) : orders.slice(-limit);
      return page.map((o) => orderResponse(o, venueSymbol, stp, true));
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/userTrades',
    security: 'SIGNED',
    handle: (ctx, req, cred) => {
      const p = parseParams(HistoryParams, req.params);
      const { inst, venueSymbol } = resolveSymbol(ctx, p.symbol);
      const fills = ctx.engine.fills(signedAccount(cred), {
        symbol: inst.symbol,
        ...(p.startTime !== undefined ? { since: Number(p.startTime) } : {}),
        ...(p.endTime !== undefined ? { until: Number(p.endTime) } : {}),
        limit: p.fromId !== undefined || p.orderId !== undefined ? 100_000 : limitOf(p.limit),
      });
      const fromId = p.fromId === undefined ? undefined : Number(p.fromId);
      const orderId = p.orderId === undefined ? undefined : p.orderId;
      const picked = fills.filter(
        (f) => (fromId === undefined || Number(f.tradeId) >= fromId) && (orderId === undefined || f.orderId === String(Number(orderId))),
      );
      return picked.slice(0, limitOf(p.limit)).map((f) => userTrade(f, venueSymbol));
    },
  },
];
