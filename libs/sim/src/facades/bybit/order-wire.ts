import { D } from '@perpetua/core';
import type { SimCloseReason, SimOrder, SimTimeInForce } from '../../engine/types.js';
import type { OrderRecord } from './order-store.js';

/** Bybit's linear order object (REST /v5/order/realtime, /history and the private `order` topic). */
export interface BybitOrderWire {
  category: 'linear';
  symbol: string;
  orderId: string;
  orderLinkId: string;
  blockTradeId: string;
  price: string;
  qty: string;
  side: 'Buy' | 'Sell';
  isLeverage: string;
  positionIdx: number;
  orderStatus: string;
  createType: string;
  cancelType: string;
  rejectReason: string;
  avgPrice: string;
  leavesQty: string;
  leavesValue: string;
  cumExecQty: string;
  cumExecValue: string;
  cumExecFee: string;
  cumFeeDetail: Record<string, string>;
  timeInForce: string;
  orderType: 'Limit' | 'Market';
  stopOrderType: string;
  orderIv: string;
  triggerPrice: string;
  takeProfit: string;
  stopLoss: string;
  tpslMode: string;
  tpLimitPrice: string;
  slLimitPrice: string;
  tpTriggerBy: string;
  slTriggerBy: string;
  triggerDirection: number;
  triggerBy: string;
  lastPriceOnCreated: string;
  reduceOnly: boolean;
  closeOnTrigger: boolean;
  placeType: string;
  smpType: string;
  smpGroup: number;
  smpOrderId: string;
  createdTime: string;
  updatedTime: string;
}

const TIF: Record<SimTimeInForce, string> = { gtc: 'GTC', ioc: 'IOC', fok: 'FOK', post_only: 'PostOnly' };

const CANCEL_TYPE: Record<SimCloseReason, string> = {
  user: 'CancelByUser',
  cancel_all: 'CancelByUser',
  ioc_remainder: 'UNKNOWN',
  market_remainder: 'UNKNOWN',
  stp: 'CancelBySmp',
  reduce_only: 'CancelByReduceOnly',
  halt: 'CancelByAdmin',
  amend_failed: 'CancelByUser',
};

/** Bybit's linear statuses: no PartiallyFilledCanceled (spot only); a partly filled cancel is Cancelled. */
export function orderStatus(o: SimOrder): string {
  switch (o.status) {
    case 'new':
      return 'New';
    case 'partially_filled':
      return 'PartiallyFilled';
    case 'filled':
      return 'Filled';
    case 'rejected':
      return 'Rejected';
    case 'canceled':
    case 'expired':
      return 'Cancelled';
  }
}

export function orderWire(rec: OrderRecord, venueSymbol: string, quote: string): BybitOrderWire {
  const o = rec.order;
  const open = o.status === 'new' || o.status === 'partially_filled';
  const leaves = open ? D.sub(D.dec(o.qty), D.dec(o.filledQty)) : D.ZERO;
  const price = o.type === 'market' ? '0' : o.price;
  return {
    category: 'linear',
    symbol: venueSymbol,
    orderId: rec.wireId,
    orderLinkId: linkIdOf(o),
    blockTradeId: '',
    price,
    qty: o.qty,
    side: o.side === 'buy' ? 'Buy' : 'Sell',
    isLeverage: '',
    positionIdx: 0,
    orderStatus: orderStatus(o),
    createType: 'CreateByUser',
    cancelType: o.closeReason ? CANCEL_TYPE[o.closeReason] : 'UNKNOWN',
    rejectReason: rec.rejectReason,
    avgPrice: o.avgFillPrice === '0' ? '' : o.avgFillPrice,
    leavesQty: D.toText(leaves),
    leavesValue: o.type === 'limit' ? D.toText(D.mul(leaves, D.dec(o.price))) : '0',
    cumExecQty: o.filledQty,
    cumExecValue: o.filledNotional,
    cumExecFee: rec.cumFee,
    cumFeeDetail: rec.cumFee === '0' ? {} : { [quote]: rec.cumFee },
    timeInForce: TIF[o.tif],
    orderType: o.type === 'limit' ? 'Limit' : 'Market',
    stopOrderType: '',
    orderIv: '',
    triggerPrice: '',
    takeProfit: '',
    stopLoss: '',
    tpslMode: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: 0,
    triggerBy: '',
    lastPriceOnCreated: '',
    reduceOnly: o.reduceOnly,
    closeOnTrigger: false,
    placeType: '',
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    createdTime: String(o.createdAt),
    updatedTime: String(o.updatedAt),
  };
}

/** Bybit's orderLinkId: the client's id, or "" when the engine generated one ('sim-<orderId>'). */
export function linkIdOf(o: { orderId: string; clientOrderId: string }): string {
  return o.clientOrderId === `sim-${o.orderId}` ? '' : o.clientOrderId;
}
