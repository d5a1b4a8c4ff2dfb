import { D } from '@perpetua/core';
import type { SimBalance, SimInstrument, SimPosition } from '../../engine/types.js';

/**
 * Engine accounts → Binance's account, balance and position answers. The simulator is
 * one-way (positionSide BOTH), cross-margined, single-asset; maintenance margin uses one
 * bracket per symbol with rate 1 / (2 x maxLeverage) (0.4% at 125x, as Binance's first
 * BTCUSDT bracket).
 */
export function maintMarginRatio(inst: SimInstrument): string {
  return D.toText(D.div(D.ONE, D.dec(2 * inst.maxLeverage)));
}

/** Largest notional the single bracket allows (informational only: the engine does not cap positions). */
export const NOTIONAL_CAP = '1000000000';

const notional = (p: SimPosition) => D.toText(D.mul(D.dec(p.qty), D.dec(p.markPrice)));
const maintMargin = (p: SimPosition, inst: SimInstrument) =>
  D.toText(D.mul(D.abs(D.dec(notional(p))), D.dec(maintMarginRatio(inst))));

/** GET /fapi/v3/positionRisk entry. */
export function positionRiskV3(p: SimPosition, inst: SimInstrument, venueSymbol: string) {
  return {
    symbol: venueSymbol,
    positionSide: 'BOTH',
    positionAmt: p.qty,
    entryPrice: p.entryPrice,
    breakEvenPrice: p.entryPrice,
    markPrice: p.markPrice,
    unRealizedProfit: p.unrealizedPnl,
    liquidationPrice: p.liquidationPrice,
    isolatedMargin: '0',
    notional: notional(p),
    marginAsset: inst.quote,
    isolatedWallet: '0',
    initialMargin: p.initialMargin,
    maintMargin: maintMargin(p, inst),
    positionInitialMargin: p.initialMargin,
    openOrderInitialMargin: '0',
    adl: 0,
    bidNotional: '0',
    askNotional: '0',
    updateTime: p.ts,
  };
}

/** GET /fapi/v2/positionRisk entry (v2 still carries leverage and margin type). */
export function positionRiskV2(p: SimPosition, inst: SimInstrument, venueSymbol: string) {
  return {
    symbol: venueSymbol,
    positionAmt: p.qty,
    entryPrice: p.entryPrice,
    breakEvenPrice: p.entryPrice,
    markPrice: p.markPrice,
    unRealizedProfit: p.unrealizedPnl,
    liquidationPrice: p.liquidationPrice,
    leverage: String(p.leverage),
    maxNotionalValue: NOTIONAL_CAP,
    marginType: 'cross',
    isolatedMargin: '0',
    isAutoAddMargin: 'false',
    positionSide: 'BOTH',
    notional: notional(p),
    isolatedWallet: '0',
    updateTime: p.ts,
  };
}

function assetEntry(b: SimBalance) {
  return {
    asset: b.asset,
    walletBalance: b.wallet,
    unrealizedProfit: b.unrealizedPnl,
    marginBalance: b.equity,
    maintMargin: '0',
    initialMargin: D.toText(D.add(D.dec(b.positionMargin), D.dec(b.orderMargin))),
    positionInitialMargin: b.positionMargin,
    openOrderInitialMargin: b.orderMargin,
    crossWalletBalance: b.wallet,
    crossUnPnl: b.unrealizedPnl,
    availableBalance: b.available,
    maxWithdrawAmount: b.available,
    // ccxt skips assets whose updateTime is 0 (never touched), so never send 0.
    updateTime: Math.max(1, b.ts),
  };
}

function totals(b: SimBalance, positions: Array<{ p: SimPosition; inst: SimInstrument }>) {
  let maint = D.ZERO;
  for (const { p, inst } of positions) maint = D.add(maint, D.dec(maintMargin(p, inst)));
  return {
    totalInitialMargin: D.toText(D.add(D.dec(b.positionMargin), D.dec(b.orderMargin))),
    totalMaintMargin: D.toText(maint),
    totalWalletBalance: b.wallet,
    totalUnrealizedProfit: b.unrealizedPnl,
    totalMarginBalance: b.equity,
    totalPositionInitialMargin: b.positionMargin,
    totalOpenOrderInitialMargin: b.orderMargin,
    totalCrossWalletBalance: b.wallet,
    totalCrossUnPnl: b.unrealizedPnl,
    availableBalance: b.available,
    maxWithdrawAmount: b.available,
  };
}

type Held = { p: SimPosition; inst: SimInstrument; venueSymbol: string };

/** GET /fapi/v3/account. */
export function accountV3(b: SimBalance, positions: Held[]) {
  const t = totals(b, positions);
  return {
    ...t,
    assets: [{ ...assetEntry(b), maintMargin: t.totalMaintMargin }],
    positions: positions
      .filter(({ p }) => D.dec(p.qty) !== D.ZERO)
      .map(({ p, inst, venueSymbol }) => ({
        symbol: venueSymbol,
        positionSide: 'BOTH',
        positionAmt: p.qty,
        unrealizedProfit: p.unrealizedPnl,
        isolatedMargin: '0',
        notional: notional(p),
        isolatedWallet: '0',
        initialMargin: p.initialMargin,
        maintMargin: maintMargin(p, inst),
        updateTime: p.ts,
      })),
  };
}

/** GET /fapi/v2/account: v3's content plus the account flags and per-position leverage. */
export function accountV2(b: SimBalance, positions: Held[]) {
  const t = totals(b, positions);
  return {
    feeTier: 0,
    feeBurn: false,
    canDeposit: true,
    canTrade: true,
    canWithdraw: true,
    multiAssetsMargin: false,
    tradeGroupId: -1,
    updateTime: 0,
    ...t,
    assets: [{ ...assetEntry(b), maintMargin: t.totalMaintMargin, marginAvailable: true }],
    positions: positions.map(({ p, inst, venueSymbol }) => ({
      symbol: venueSymbol,
      initialMargin: p.initialMargin,
      maintMargin: maintMargin(p, inst),
      unrealizedProfit: p.unrealizedPnl,
      positionInitialMargin: p.initialMargin,
      openOrderInitialMargin: '0',
      leverage: String(p.leverage),
      isolated: false,
      entryPrice: p.entryPrice,
      breakEvenPrice: p.entryPrice,
      maxNotional: NOTIONAL_CAP,
      positionSide: 'BOTH',
      positionAmt: p.qty,
      notional: notional(p),
      isolatedWallet: '0',
      updateTime: p.ts,
      bidNotional: '0',
      askNotional: '0',
    })),
  };
}

/** GET /fapi/v2/balance and /fapi/v3/balance entry. */
export function balanceEntry(b: SimBalance, accountAlias: string) {
  return {
    accountAlias,
    asset: b.asset,
    balance: b.wallet,
    crossWalletBalance: b.wallet,
    crossUnPnl: b.unrealizedPnl,
    availableBalance: b.available,
    maxWithdrawAmount: b.available,
    marginAvailable: true,
    updateTime: Math.max(1, b.ts),
  };
}

/** The `P` entry of an ACCOUNT_UPDATE event. */
export function accountUpdatePosition(p: SimPosition, venueSymbol: string) {
  return {
    s: venueSymbol,
    pa: p.qty,
    ep: p.entryPrice,
    bep: p.entryPrice,
    cr: p.realizedPnl,
    up: p.unrealizedPnl,
    mt: 'cross',
    iw: '0',
    ps: 'BOTH',
  };
}

/** The `B` entry of an ACCOUNT_UPDATE event; `bc` is the change other than PnL and fees. */
export function accountUpdateBalance(b: SimBalance, balanceChange: string) {
  return { a: b.asset, wb: b.wallet, cw: b.wallet, bc: balanceChange };
}
