import { type Decimal, mul, toText } from '@perpetua/core';
import type { SimFill } from './types.js';
import type { EngineOrder } from './engine-order.js';
import type { EventFanOut } from './event-fan-out.js';
import type { SymbolState } from './symbol-state.js';
import type { VenueState } from './venue-state.js';
import { applyToPosition, positionOf } from './positions.js';

/** Books one side of a trade on its account: position, realized PnL, fee, wallet, records and events. */
export class FillBooking {
  constructor(
    private readonly state: VenueState,
    private readonly events: EventFanOut,
  ) {}

  /** The account's fill, or undefined for a house account (which books nothing). */
  book(
    order: EngineOrder,
    s: SymbolState,
    tick: number,
    lots: number,
    notional: Decimal,
    tradeId: number,
    liquidity: 'maker' | 'taker',
    priceText: string,
    qtyText: string,
    now: number,
  ): SimFill | undefined {
    const account = order.account;
    if (account.house) return undefined;
    const { rt } = s;
    const fee = mul(notional, liquidity === 'maker' ? rt.makerRate : rt.takerRate);
    const pos = positionOf(this.state, account, order.symbol);
    const realized = applyToPosition(pos, rt, order.side, tick, lots, notional);
    const delta = (realized - fee) as Decimal;
    account.wallet = (account.wallet + delta) as Decimal;

    const fill: SimFill = {
      fillId: String(++this.state.fillSeq),
      tradeId: String(tradeId),
      orderId: String(order.id),
      clientOrderId: order.clientOrderId,
      accountId: account.id,
      symbol: order.symbol,
      side: order.side === 0 ? 'buy' : 'sell',
      price: priceText,
      qty: qtyText,
      notional: toText(notional),
      fee: toText(fee),
      feeAsset: this.state.config.quote,
      liquidity,
      realizedPnl: toText(realized),
      ts: now,
    };
    account.rememberFill(fill);
    this.events.emitOrder(order, 'trade', fill);
    this.events.emit({ type: 'fill', venue: this.state.name, accountId: account.id, fill, ts: now });
    this.events.emitPosition(account, pos, 'fill');
    this.events.emitBalance(account, 'fill', delta);
    return fill;
  }
}
