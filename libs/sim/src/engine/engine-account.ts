import type { Decimal } from '@perpetua/core';
import type { SimFill, SimFundingEvent } from './types.js';
import type { EngineOrder } from './engine-order.js';

/** Closed orders and fills kept per account for lookups (older ones are forgotten). */
export const CLOSED_ORDER_HISTORY = 5_000;
export const FILL_HISTORY = 10_000;
export const FUNDING_HISTORY = 10_000;

/** One account's net position in one symbol, booked exactly. */
export class EnginePosition {
  /** Signed size in lots. */
  lots = 0;
  /** Cost basis of the open size (entry price x |qty|), exact. */
  entryNotional = 0n as Decimal;
  realizedPnl = 0n as Decimal;
  /** Open-order exposure in tick x lot units per side, for the open-order margin. */
  buyOpenTL = 0;
  sellOpenTL = 0;
  constructor(
    readonly symbol: string,
    public leverage: number,
  ) {}
}

/**
 * An account on one venue. House accounts (background liquidity and flow) skip margin checks, bookkeeping and
 * private events: they only exist so their orders trade through the same matching path as everyone else's.
 */
export class EngineAccount {
  wallet: Decimal;
  readonly positions = new Map<string, EnginePosition>();
  readonly open = new Map<number, EngineOrder>();
  readonly openByClientId = new Map<string, EngineOrder>();
  readonly closed = new Map<number, EngineOrder>();
  readonly closedByClientId = new Map<string, EngineOrder>();
  readonly fills: SimFill[] = [];
  readonly funding: SimFundingEvent[] = [];

  constructor(
    readonly id: string,
    initialWallet: Decimal,
    readonly house: boolean,
  ) {
    this.wallet = initialWallet;
  }

  rememberClosed(order: EngineOrder): void {
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
