import type { SimExecType, SimFill, SimOrder, SimOrderStatus, SimStpMode, SimTimeInForce } from '../../engine/types.js';

/** Engine order vocabulary → Binance's. */
export const ORDER_STATUS: Record<SimOrderStatus, string> = {
  new: 'NEW',
  partially_filled: 'PARTIALLY_FILLED',
  filled: 'FILLED',
  canceled: 'CANCELED',
  rejected: 'REJECTED',
  expired: 'EXPIRED',
};

export const TIME_IN_FORCE: Record<SimTimeInForce, string> = {
  gtc: 'GTC',
  ioc: 'IOC',
  fok: 'FOK',
  post_only: 'GTX',
};

export const STP_MODE: Record<SimStpMode, string> = {
  expire_taker: 'EXPIRE_TAKER',
  expire_maker: 'EXPIRE_MAKER',
  expire_both: 'EXPIRE_BOTH',
  none: 'NONE',
};

const EXEC_TYPE: Record<SimExecType, string> = {
  new: 'NEW',
  trade: 'TRADE',
  canceled: 'CANCELED',
  expired: 'EXPIRED',
  repriced: 'AMENDMENT',
  amended: 'AMENDMENT',
};

/** Binance reports orders expired by self-trade prevention as EXPIRED_IN_MATCH. */
export function orderStatus(order: SimOrder): string {
  if (order.status === 'expired' && order.closeReason === 'stp') return 'EXPIRED_IN_MATCH';
  return ORDER_STATUS[order.status];
}

const orderType = (o: SimOrder) => (o.type === 'limit' ? 'LIMIT' : 'MARKET');
const limitPrice = (o: SimOrder) => (o.type === 'limit' ? o.price : '0');

/** An order as Binance's REST answers it (new order RESULT, query, cancel, open orders). */
export function orderResponse(order: SimOrder, venueSymbol: string, stp: SimStpMode, withTime: boolean) {
  const body = {
    orderId: Number(order.orderId),
    symbol: venueSymbol,
    status: orderStatus(order),
    clientOrderId: order.clientOrderId,
    price: limitPrice(order),
    avgPrice: order.avgFillPrice,
    origQty: order.qty,
    executedQty: order.filledQty,
    cumQty: order.filledQty,
    cumQuote: order.filledNotional,
    timeInForce: TIME_IN_FORCE[order.tif],
    type: orderType(order),
    reduceOnly: order.reduceOnly,
    closePosition: false,
    side: order.side === 'buy' ? 'BUY' : 'SELL',
    positionSide: 'BOTH',
    stopPrice: '0',
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: orderType(order),
    priceMatch: 'NONE',
    selfTradePreventionMode: STP_MODE[stp],
    goodTillDate: 0,
    updateTime: order.updatedAt,
  };
  return withTime ? { ...body, time: order.createdAt } : body;
}

/** The `newOrderRespType=ACK` answer: the order as accepted, before any matching is reported. */
export function orderAck(order: SimOrder, venueSymbol: string, stp: SimStpMode) {
  return {
    ...orderResponse(order, venueSymbol, stp, false),
    status: 'NEW',
    avgPrice: '0',
    executedQty: '0',
    cumQty: '0',
    cumQuote: '0',
    updateTime: order.createdAt,
  };
}

/** The `o` object of an ORDER_TRADE_UPDATE user-data event. */
export function orderUpdate(execType: SimExecType, order: SimOrder, fill: SimFill | undefined, venueSymbol: string, stp: SimStpMode) {
  return {
    s: venueSymbol,
    c: order.clientOrderId,
    S: order.side === 'buy' ? 'BUY' : 'SELL',
    o: orderType(order),
    f: TIME_IN_FORCE[order.tif],
    q: order.qty,
    p: limitPrice(order),
    ap: order.avgFillPrice,
    sp: '0',
    x: EXEC_TYPE[execType],
    X: orderStatus(order),
    i: Number(order.orderId),
    l: fill?.qty ?? '0',
    z: order.filledQty,
    L: fill?.price ?? '0',
    N: fill?.feeAsset ?? 'USDT',
    n: fill?.fee ?? '0',
    T: fill?.ts ?? order.updatedAt,
    t: fill ? Number(fill.tradeId) : 0,
    b: '0',
    a: '0',
    m: fill?.liquidity === 'maker',
    R: order.reduceOnly,
    wt: 'CONTRACT_PRICE',
    ot: orderType(order),
    ps: 'BOTH',
    cp: false,
    rp: fill?.realizedPnl ?? '0',
    pP: false,
    si: 0,
    ss: 0,
    V: STP_MODE[stp],
    pm: 'NONE',
    gtd: 0,
  };
}

/** One entry of GET /fapi/v1/userTrades. */
export function userTrade(fill: SimFill, venueSymbol: string) {
  return {
    buyer: fill.side === 'buy',
    commission: fill.fee,
    commissionAsset: fill.feeAsset,
    id: Number(fill.tradeId),
    maker: fill.liquidity === 'maker',
    orderId: Number(fill.orderId),
    price: fill.price,
    qty: fill.qty,
    quoteQty: fill.notional,
    realizedPnl: fill.realizedPnl,
    side: fill.side === 'buy' ? 'BUY' : 'SELL',
    positionSide: 'BOTH',
    symbol: venueSymbol,
    time: fill.ts,
  };
}
