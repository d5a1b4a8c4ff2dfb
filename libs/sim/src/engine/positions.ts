import { type Decimal, dec, divInt, mul, toText, ZERO } from '@perpetua/core';
import type { SimPosition } from './types.js';
import type { EngineAccount } from './engine-account.js';
import type { EngineOrder } from './engine-order.js';
import { EnginePosition } from './engine-position.js';
import type { InstrumentRuntime } from './instrument-runtime.js';
import type { SideCode } from './side-code.js';
import type { VenueState } from './venue-state.js';

const SCALE = 10n ** 18n;
/** Maintenance margin rate used only for the informational liquidation price. */
const MAINT_RATE = 0.005;

/** The account's position in `symbol`, made flat at the symbol's default leverage on first use. */
export function positionOf(state: VenueState, account: EngineAccount<EngineOrder>, symbol: string): EnginePosition {
  let p = account.positions.get(symbol);
  if (!p) {
    p = new EnginePosition(symbol, state.sym(symbol).rt.info.defaultLeverage);
    account.positions.set(symbol, p);
  }
  return p;
}

/** Lots an order on `side` could still take off the account's position in `symbol` (0 when it would add to it). */
export function reducibleLots(account: EngineAccount<EngineOrder>, symbol: string, side: SideCode): number {
  const lots = account.positions.get(symbol)?.lots ?? 0;
  return side === 0 ? Math.max(0, -lots) : Math.max(0, lots);
}

/**
 * Applies a fill to a net position with average-cost accounting; returns the PnL it realizes. The cost basis is
 * kept as an exact notional, so closing the whole position realizes exactly (partial closes round the basis share
 * half-even at 18 places).
 */
export function applyToPosition(pos: EnginePosition, rt: InstrumentRuntime, side: SideCode, tick: number, lots: number, notional: Decimal): Decimal {
  const sign = side === 0 ? 1 : -1;
  if (pos.lots === 0 || Math.sign(pos.lots) === sign) {
    pos.lots += sign * lots;
    pos.entryNotional = (pos.entryNotional + notional) as Decimal;
    return ZERO;
  }
  const open = Math.abs(pos.lots);
  const closeLots = Math.min(lots, open);
  const basisShare = closeLots === open ? pos.entryNotional : (divInt(pos.entryNotional * BigInt(closeLots), BigInt(open), 'half-even') as Decimal);
  const closeNotional = closeLots === lots ? notional : rt.notional(tick, closeLots);
  const realized = (pos.lots > 0 ? closeNotional - basisShare : basisShare - closeNotional) as Decimal;
  pos.entryNotional = (pos.entryNotional - basisShare) as Decimal;
  pos.lots += sign * closeLots;
  const rest = lots - closeLots;
  if (rest > 0) {
    pos.lots = sign * rest;
    pos.entryNotional = (notional - closeNotional) as Decimal;
  }
  pos.realizedPnl = (pos.realizedPnl + realized) as Decimal;
  return realized;
}

/** The public view of a position: decimal texts, valued at the symbol's mark. */
export function snapshotPosition(state: VenueState, account: EngineAccount<EngineOrder>, p: EnginePosition): SimPosition {
  const s = state.sym(p.symbol);
  const { rt, mark } = s;
  const qty = rt.qty.toDecimal(p.lots);
  const absQty = qty < 0n ? -qty : qty;
  const entry = p.lots === 0 ? ZERO : (divInt(p.entryNotional * SCALE, absQty, 'half-even') as Decimal);
  const value = mul(qty, mark.mark);
  const unrealized = p.lots === 0 ? ZERO : ((value - (p.lots > 0 ? p.entryNotional : -p.entryNotional)) as Decimal);
  const absValue = value < 0n ? -value : value;
  let liq = '0';
  if (p.lots !== 0) {
    const e = Number(toText(entry));
    const f = p.lots > 0 ? 1 - 1 / p.leverage + MAINT_RATE : 1 + 1 / p.leverage - MAINT_RATE;
    liq = toText(dec(Math.max(0, e * f).toFixed(rt.price.decimals)));
  }
  return {
    accountId: account.id,
    symbol: p.symbol,
    qty: toText(qty),
    entryPrice: toText(entry),
    markPrice: mark.markText,
    unrealizedPnl: toText(unrealized),
    realizedPnl: toText(p.realizedPnl),
    leverage: p.leverage,
    initialMargin: toText(divInt(absValue, BigInt(p.leverage), 'ceil') as Decimal),
    liquidationPrice: liq,
    ts: state.clock(),
  };
}
