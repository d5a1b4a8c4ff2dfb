import type { Decimal } from '@perpetua/core';

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
