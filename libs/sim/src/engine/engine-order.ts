import type { Decimal } from '@perpetua/core';
import type { SimCloseReason, SimOrderStatus, SimOrderType, SimTimeInForce } from './types.js';
import type { EngineAccount } from './engine-account.js';
import type { PriceLevel } from './order-book.js';
import type { SideCode } from './side-code.js';

/**
 * An order inside the engine: prices in ticks, sizes in lots, linked into its price level's FIFO while it rests.
 * The public `SimOrder` (decimal strings) is built from it only when someone asks.
 */
export class EngineOrder {
  filledLots = 0;
  filledNotional = 0n as Decimal;
  status: SimOrderStatus = 'new';
  closeReason: SimCloseReason | undefined;
  updatedAt: number;
  /** Whether this order currently counts in its account's open-order margin. */
  reserved = false;
  // Intrusive FIFO links within a price level.
  prev: EngineOrder | null = null;
  next: EngineOrder | null = null;
  level: PriceLevel<EngineOrder> | null = null;

  constructor(
    readonly id: number,
    readonly clientOrderId: string,
    readonly account: EngineAccount<EngineOrder>,
    readonly symbol: string,
    readonly side: SideCode,
    readonly type: SimOrderType,
    readonly tif: SimTimeInForce,
    public tick: number,
    // Mutable for amends (which change the order in place, ids kept).
    public origTick: number,
    public lots: number,
    readonly reduceOnly: boolean,
    readonly createdAt: number,
  ) {
    this.updatedAt = createdAt;
  }

  get remainingLots(): number {
    return this.lots - this.filledLots;
  }

  get isOpen(): boolean {
    return this.status === 'new' || this.status === 'partially_filled';
  }
}
