import type { SimOrder, SimOrderRequest, SimRejection, SimTimeInForce } from '../../engine/types.js';
import { OkxOrderCodes } from './errors.js';
import type { OkxFacadeContext } from './facade-context.js';
import { toBase, type OkxInstrument } from './okx-instruments.js';

/** One entry of a place / amend / cancel answer (OKX answers each order of a batch on its own). */
export interface OrderAck {
  ordId: string;
  clOrdId: string;
  tag: string;
  ts: string;
  sCode: string;
  sMsg: string;
  reqId?: string;
}

type Params = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
/** OKX client order ids: letters and digits, 1 to 32 of them. */
const CL_ORD_ID = /^[A-Za-z0-9]{1,32}$/;

const TIF: Record<string, SimTimeInForce | undefined> = { limit: 'gtc', post_only: 'post_only', ioc: 'ioc', fok: 'fok', market: 'ioc', optimal_limit_ioc: 'ioc' };

function ack(ctx: OkxFacadeContext, o: { ordId?: string; clOrdId?: string }, sCode = '0', sMsg = 'Order placed', reqId?: string): OrderAck {
  return { ordId: o.ordId ?? '', clOrdId: o.clOrdId ?? '', tag: '', ts: String(ctx.serverTime()), sCode, sMsg, ...(reqId !== undefined ? { reqId } : {}) };
}

/** An engine refusal as OKX's sCode and sMsg. */
function refusal(r: SimRejection): [string, string] {
  switch (r.reason) {
    case 'unknown_symbol':
      return [OkxOrderCodes.unknownInstrument, "Instrument ID doesn't exist."];
    case 'symbol_halted':
      return [OkxOrderCodes.halted, 'Instrument is not live'];
    case 'invalid_qty_lot':
      return [OkxOrderCodes.lotSize, 'Order quantity must be a multiple of the lot size.'];
    case 'below_min_qty':
      return [OkxOrderCodes.belowMinSize, 'Order amount should be greater than the min available amount.'];
    case 'insufficient_margin':
      return [OkxOrderCodes.insufficientMargin, 'Order failed. Insufficient USDT margin in account'];
    case 'reduce_only_violation':
      return [OkxOrderCodes.reduceOnly, 'Order failed because you have no positions in this direction, and it can\'t be reduced.'];
    case 'duplicate_client_order_id':
      return [OkxOrderCodes.duplicateClOrdId, 'Duplicated clOrdId'];
    case 'amend_qty_below_filled':
      return [OkxOrderCodes.amendSize, 'Order modification failed. The new size is below the filled size.'];
    case 'amend_no_change':
      return [OkxOrderCodes.param, 'Parameter newSz or newPx error'];
    case 'post_only_would_cross':
      return [OkxOrderCodes.amendPostOnly, 'Order modification failed as the order price did not meet the requirement for Post Only.'];
    default:
      return [OkxOrderCodes.param, r.message];
  }
}

export function placeOrder(ctx: OkxFacadeContext, accountId: string, p: Params): OrderAck {
  const clOrdId = str(p['clOrdId']);
  const instId = str(p['instId']);
  if (clOrdId !== undefined && !CL_ORD_ID.test(clOrdId)) return ack(ctx, { clOrdId }, OkxOrderCodes.param, 'Parameter clOrdId error');
  const inst = instId === undefined ? undefined : ctx.instruments.get(instId);
  if (!inst) return ack(ctx, { clOrdId }, OkxOrderCodes.unknownInstrument, "Instrument ID doesn't exist.");
  const side = str(p['side']);
  const ordType = str(p['ordType']) ?? '';
  const tif = TIF[ordType];
  const sz = str(p['sz']);
  const px = str(p['px']);
  if (side !== 'buy' && side !== 'sell') return ack(ctx, { clOrdId }, OkxOrderCodes.param, 'Parameter side error');
  if (!tif) return ack(ctx, { clOrdId }, OkxOrderCodes.param, 'Parameter ordType error');
  const td = str(p['tdMode']);
  if (td !== 'cross' && td !== 'isolated') return ack(ctx, { clOrdId }, OkxOrderCodes.param, 'Parameter tdMode error');
  const posSide = str(p['posSide']);
  if (posSide !== undefined && posSide !== 'net') return ack(ctx, { clOrdId }, OkxOrderCodes.param, 'Parameter posSide error');
  const qty = sz === undefined ? undefined : toBase(inst, sz);
  if (qty === undefined) return ack(ctx, { clOrdId }, OkxOrderCodes.param, 'Parameter sz error');
  const market = ordType === 'market' || ordType === 'optimal_limit_ioc';
  if (!market && px === undefined) return ack(ctx, { clOrdId }, OkxOrderCodes.param, 'Parameter px error');
  ctx.keeper.recordPlaced({ instId: inst.instId, clOrdId: clOrdId ?? '', side, ordType, sz: sz ?? '', px: px ?? '', ts: ctx.serverTime() });
  const reduceOnly = p['reduceOnly'] === true || p['reduceOnly'] === 'true';
  const req: SimOrderRequest = {
    accountId,
    symbol: inst.inst.symbol,
    side,
    type: market ? 'market' : 'limit',
    ...(market ? {} : { price: px }),
    qty,
    tif,
    reduceOnly,
    ...(clOrdId !== undefined ? { clientOrderId: clOrdId } : {}),
  };
  const r = ctx.engine.placeOrder(req);
  if (r.ok) return ack(ctx, { ordId: r.order.orderId, clOrdId: r.order.clientOrderId === `sim-${r.order.orderId}` ? '' : r.order.clientOrderId });
  // OKX accepts these and cancels them at once (the engine refuses them outright): the order exists, closed.
  const closedAtOnce = r.reason === 'post_only_would_cross' ? '31' : r.reason === 'fok_not_fillable' || r.reason === 'no_liquidity' ? '14' : undefined;
  if (closedAtOnce) {
    const now = ctx.marketTime();
    const o = ctx.keeper.addClosedAtOnce(
      {
        clientOrderId: clOrdId ?? '',
        accountId,
        symbol: inst.inst.symbol,
        side,
        type: req.type,
        tif,
        price: px ?? '0',
        origPrice: px ?? '0',
        qty,
        filledQty: '0',
        avgFillPrice: '0',
        filledNotional: '0',
        status: 'canceled',
        reduceOnly,
        createdAt: now,
        updatedAt: now,
      },
      closedAtOnce,
    );
    ctx.publishOrder(o);
    return ack(ctx, { ordId: o.orderId, clOrdId: o.clientOrderId });
  }
  const [code, msg] = refusal(r);
  return ack(ctx, { clOrdId }, code, msg);
}

/** The order a request names by ordId or clOrdId: the engine's open or recent order, else the façade's memory. */
export function findOrder(ctx: OkxFacadeContext, accountId: string, inst: OkxInstrument, p: Params): SimOrder | undefined {
  const ordId = str(p['ordId']);
  const clOrdId = str(p['clOrdId']);
  if (ordId === undefined && clOrdId === undefined) return undefined;
  const ref = ordId !== undefined ? { orderId: ordId } : { clientOrderId: clOrdId };
  const live = ctx.engine.getOrder(accountId, inst.inst.symbol, ref);
  const kept = ctx.keeper.find(accountId, ordId !== undefined ? { ordId } : { clOrdId });
  if (!live) return kept && kept.symbol === inst.inst.symbol ? kept : undefined;
  return kept && kept.updatedAt > live.updatedAt ? kept : live;
}

export function cancelOrder(ctx: OkxFacadeContext, accountId: string, p: Params): OrderAck {
  const clOrdId = str(p['clOrdId']);
  const ordId = str(p['ordId']);
  const inst = ctx.instruments.get(str(p['instId']) ?? '');
  if (!inst) return ack(ctx, { ordId, clOrdId }, OkxOrderCodes.unknownInstrument, "Instrument ID doesn't exist.");
  if (ordId === undefined && clOrdId === undefined) return ack(ctx, {}, OkxOrderCodes.param, 'Parameter ordId or clOrdId error');
  const r = ctx.engine.cancelOrder(accountId, inst.inst.symbol, ordId !== undefined ? { orderId: ordId } : { clientOrderId: clOrdId });
  if (!r.ok) return ack(ctx, { ordId, clOrdId }, OkxOrderCodes.cancelNotFound, 'Order cancellation failed as the order has been filled, canceled or does not exist.');
  return ack(ctx, { ordId: r.order.orderId, clOrdId: r.order.clientOrderId }, '0', '');
}

export function amendOrder(ctx: OkxFacadeContext, accountId: string, p: Params): OrderAck {
  const clOrdId = str(p['clOrdId']);
  const ordId = str(p['ordId']);
  const reqId = str(p['reqId']) ?? '';
  const inst = ctx.instruments.get(str(p['instId']) ?? '');
  if (!inst) return ack(ctx, { ordId, clOrdId }, OkxOrderCodes.unknownInstrument, "Instrument ID doesn't exist.", reqId);
  const newSz = str(p['newSz']);
  const newPx = str(p['newPx']);
  if (newSz === undefined && newPx === undefined) return ack(ctx, { ordId, clOrdId }, OkxOrderCodes.param, 'Parameter newSz or newPx error', reqId);
  const qty = newSz === undefined ? undefined : toBase(inst, newSz);
  if (newSz !== undefined && qty === undefined) return ack(ctx, { ordId, clOrdId }, OkxOrderCodes.param, 'Parameter newSz error', reqId);
  const ref = ordId !== undefined ? { orderId: ordId } : { clientOrderId: clOrdId };
  const r = ctx.engine.amendOrder(accountId, inst.inst.symbol, ref, { ...(qty !== undefined ? { qty } : {}), ...(newPx !== undefined ? { price: newPx } : {}) });
  if (!r.ok) {
    if (r.reason === 'order_not_found') return ack(ctx, { ordId, clOrdId }, OkxOrderCodes.amendNotFound, 'Order modification failed as the order does not exist.', reqId);
    const [code, msg] = refusal(r);
    return ack(ctx, { ordId, clOrdId }, code, msg, reqId);
  }
  return ack(ctx, { ordId: r.order.orderId, clOrdId: r.order.clientOrderId }, '0', '', reqId);
}
