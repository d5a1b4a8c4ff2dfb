/**
 * Margin: what open positions and resting orders tie up of an account's equity. Positions are valued at the mark;
 * an order reserves margin for the part of it that would add to the position, per side, the larger side counting.
 */
import { type Decimal, divInt, mul, toText, ZERO } from '@perpetua/core';
import type { SimBalance } from './types.js';
import type { EngineAccount } from './engine-account.js';
import type { EngineOrder } from './engine-order.js';
import type { EnginePosition } from './engine-position.js';
import type { InstrumentRuntime } from './instrument-runtime.js';
import type { SideCode } from './side-code.js';
import type { VenueState } from './venue-state.js';
import { positionOf } from './positions.js';

/** Adds (or with negative lots releases) an open order's exposure to its account's open-order margin. */
export function reserve(state: VenueState, order: EngineOrder, lots: number): void {
  if (order.account.house || order.reduceOnly || lots === 0) return;
  if (lots > 0 && !order.reserved) order.reserved = true;
  else if (!order.reserved) return;
  const pos = positionOf(state, order.account, order.symbol);
  const tl = order.tick * lots;
  if (order.side === 0) pos.buyOpenTL += tl;
  else pos.sellOpenTL += tl;
}

/** The open-order margin that `lots` more on `side` at `tick` would add (what does not reduce the position). */
export function extraOrderMargin(pos: EnginePosition, rt: InstrumentRuntime, side: SideCode, tick: number, lots: number): Decimal {
  const reducible = (side === 0 ? pos.lots < 0 : pos.lots > 0) ? Math.abs(pos.lots) : 0;
  const add = Math.max(0, lots - reducible);
  if (add === 0) return ZERO;
  const before = Math.max(pos.buyOpenTL, pos.sellOpenTL);
  const after = side === 0 ? Math.max(pos.buyOpenTL + tick * add, pos.sellOpenTL) : Math.max(pos.buyOpenTL, pos.sellOpenTL + tick * add);
  return divInt(BigInt(after - before) * rt.unitNotional, BigInt(pos.leverage), 'ceil') as Decimal;
}

/** equity - position margin - open-order margin (may be negative). */
export function freeMargin(state: VenueState, account: EngineAccount<EngineOrder>): Decimal {
  const b = balanceParts(state, account);
  return (b.equity - b.positionMargin - b.orderMargin) as Decimal;
}

function balanceParts(
  state: VenueState,
  account: EngineAccount<EngineOrder>,
): { unrealized: Decimal; equity: Decimal; positionMargin: Decimal; orderMargin: Decimal } {
  let unrealized = 0n;
  let positionMargin = 0n;
  let orderMargin = 0n;
  for (const pos of account.positions.values()) {
    const s = state.symbols.get(pos.symbol)!;
    const lev = BigInt(pos.leverage);
    if (pos.lots !== 0) {
      const qty = s.rt.qty.toDecimal(pos.lots);
      const value = mul(qty, s.mark.mark); // signed
      unrealized += value - (pos.lots > 0 ? pos.entryNotional : -pos.entryNotional);
      positionMargin += divInt(value < 0n ? -value : value, lev, 'ceil');
    }
    const tl = Math.max(pos.buyOpenTL, pos.sellOpenTL);
    if (tl > 0) orderMargin += divInt(BigInt(tl) * s.rt.unitNotional, lev, 'ceil');
  }
  return {
    unrealized: unrealized as Decimal,
    equity: (account.wallet + unrealized) as Decimal,
    positionMargin: positionMargin as Decimal,
    orderMargin: orderMargin as Decimal,
  };
}

/** The account's balance as the venue reports it: wallet, unrealized PnL, margins and what is available. */
export function computeBalance(state: VenueState, account: EngineAccount<EngineOrder>): SimBalance {
  const b = balanceParts(state, account);
  const free = b.equity - b.positionMargin - b.orderMargin;
  return {
    accountId: account.id,
    asset: state.config.quote,
    wallet: toText(account.wallet),
    unrealizedPnl: toText(b.unrealized),
    equity: toText(b.equity),
    positionMargin: toText(b.positionMargin),
    orderMargin: toText(b.orderMargin),
    available: toText((free > 0n ? free : 0n) as Decimal),
    ts: state.clock(),
  };
}
