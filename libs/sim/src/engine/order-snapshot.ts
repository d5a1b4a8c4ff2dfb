import { type Decimal, divInt, toText } from '@perpetua/core';
import type { SimOrder } from './types.js';
import type { EngineOrder } from './engine-order.js';
import type { VenueState } from './venue-state.js';

const SCALE = 10n ** 18n;

/** The public view of an engine order: decimal texts, the average fill price exact to 18 places (half-even). */
export function snapshotOrder(state: VenueState, o: EngineOrder): SimOrder {
  const rt = state.sym(o.symbol).rt;
  const filledQty = rt.qty.toDecimal(o.filledLots);
  const avg = o.filledLots > 0 ? toText((divInt(o.filledNotional * SCALE, filledQty, 'half-even')) as Decimal) : '0';
  return {
    orderId: String(o.id),
    clientOrderId: o.clientOrderId,
    accountId: o.account.id,
    symbol: o.symbol,
    side: o.side === 0 ? 'buy' : 'sell',
    type: o.type,
    tif: o.tif,
    price: o.type === 'market' ? avg : rt.price.format(o.tick),
    origPrice: o.type === 'market' ? '0' : rt.price.format(o.origTick),
    qty: rt.qty.format(o.lots),
    filledQty: rt.qty.format(o.filledLots),
    avgFillPrice: avg,
    filledNotional: toText(o.filledNotional),
    status: o.status,
    reduceOnly: o.reduceOnly,
    ...(o.closeReason ? { closeReason: o.closeReason } : {}),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}
