import type { Decimal } from '@perpetua/core';
import type { SimFill, SimFundingEvent, SimOrderRef } from './types.js';
import type { EnginePosition } from './engine-position.js';

/** Closed orders and fills kept per account for lookups (older ones are forgotten). */
export const CLOSED_ORDER_HISTORY = 5_000;
export const FILL_HISTORY = 10_000;
export const FUNDING_HISTORY = 10_000;

/** What an account needs of an order to keep it: the order type is a parameter, so this file imports no order back. */
export interface AccountOrder {
  readonly id: number;
  readonly clientOrderId: string;
  readonly symbol: string;
}

/**
 * An account on one venue. House accounts (background liquidity and flow) skip margin checks, bookkeeping and
 * private events: they only exist so their orders trade through the same matching path as everyone else's.
 */
export class EngineAccount<O extends AccountOrder> {
  wallet: Decimal;
  readonly positions = new Map<string, EnginePosition>();
  readonly open = new Map<number, O>();
  readonly openByClientId = new Map<string, O>();
  readonly closed = new Map<number, O>();
  readonly closedByClientId = new Map<string, O>();
  readonly fills: SimFill[] = [];
  readonly funding: SimFundingEvent[] = [];

  constructor(
    readonly id: string,
    initialWallet: Decimal,
    readonly house: boolean,
  ) {
    this.wallet = initialWallet;
  }

  /** The open order `ref` names on `symbol`, by order id when it has one, else by client order id. */
  findOpen(symbol: string, ref: SimOrderRef): O | undefined {
    let o: O | undefined;
    if (ref.orderId !== undefined) o = this.open.get(Number(ref.orderId));
    else if (ref.clientOrderId !== undefined) o = this.openByClientId.get(ref.clientOrderId);
    return o && o.symbol === symbol ? o : undefined;
  }

  rememberClosed(order: O): void {
    if (this.house) return;
    this.closed.set(order.id, order);
    this.closedByClientId.set(order.clientOrderId, order);
    if (this.closed.size > CLOSED_ORDER_HISTORY) {
      const oldest = this.closed.keys().next().value;
      if (oldest !== undefined) {
        const o = this.closed.get(oldest);
        this.closed.delete(oldest);
        if (o && this.closedByClientId.get(o.clientOrderId) === o) this.closedByClientId.delete(o.clientOrderId);
      }
    }
  }

  rememberFill(fill: SimFill): void {
    this.fills.push(fill);
    if (this.fills.length > FILL_HISTORY * 1.1) this.fills.splice(0, this.fills.length - FILL_HISTORY);
  }

  rememberFunding(payment: SimFundingEvent): void {
    this.funding.push(payment);
    if (this.funding.length > FUNDING_HISTORY * 1.1) this.funding.splice(0, this.funding.length - FUNDING_HISTORY);
  }
}
