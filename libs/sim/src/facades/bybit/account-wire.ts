import { D } from '@perpetua/core';
import type { SimBalance, SimFill, SimInstrument, SimPosition } from '../../engine/types.js';
import { toWireId } from './wire-ids.js';

/** Bybit's execution object (REST /v5/execution/list and the private `execution` topic). */
export function executionWire(f: SimFill, venueSymbol: string, inst: SimInstrument, orderWireId: string, order: { qty: string; price: string; type: string; leavesQty: string }, markPrice: string) {
  return {
    category: 'linear' as const,
    symbol: venueSymbol,
    isLeverage: '',
    orderId: orderWireId,
    orderLinkId: f.clientOrderId,
    side: f.side === 'buy' ? 'Buy' : 'Sell',
    orderPrice: order.price,
    orderQty: order.qty,
    leavesQty: order.leavesQty,
    createType: 'CreateByUser',
    orderType: order.type === 'limit' ? 'Limit' : 'Market',
    stopOrderType: '',
    execFee: f.fee,
    execId: toWireId('execution', f.fillId),
    execPrice: f.price,
    execQty: f.qty,
    execType: 'Trade',
    execValue: f.notional,
    execTime: String(f.ts),
    feeCurrency: f.feeAsset,
    isMaker: f.liquidity === 'maker',
    feeRate: f.liquidity === 'maker' ? inst.makerFee : inst.takerFee,
    tradeIv: '',
    markIv: '',
    markPrice,
    indexPrice: '',
    underlyingPrice: '',
    blockTradeId: '',
    closedSize: '',
    seq: Number(f.fillId),
  };
}

/** Bybit's one-way (positionIdx 0) linear position; an empty position has side "" and size "0". */
export function positionWire(p: SimPosition, venueSymbol: string, inst: SimInstrument, createdTime: number) {
  const qty = D.dec(p.qty);
  const size = D.abs(qty);
  const flat = qty === D.ZERO;
  return {
    category: 'linear' as const,
    symbol: venueSymbol,
    positionIdx: 0,
    riskId: 1,
    riskLimitValue: '2000000',
    side: flat ? '' : qty > 0n ? 'Buy' : 'Sell',
    size: D.toText(size),
    avgPrice: p.entryPrice,
    positionValue: D.toText(D.mul(size, D.dec(p.entryPrice))),
    tradeMode: 0,
    positionStatus: 'Normal',
    autoAddMargin: 0,
    adlRankIndicator: flat ? 0 : 2,
    leverage: String(p.leverage),
    positionBalance: p.initialMargin,
    markPrice: p.markPrice,
    liqPrice: flat ? '' : p.liquidationPrice,
    bustPrice: '',
    positionMM: '0',
    positionIM: p.initialMargin,
    tpslMode: 'Full',
    takeProfit: '0',
    stopLoss: '0',
    trailingStop: '0',
    unrealisedPnl: p.unrealizedPnl,
    curRealisedPnl: p.realizedPnl,
    cumRealisedPnl: p.realizedPnl,
    sessionAvgPrice: '',
    isReduceOnly: false,
    createdTime: String(createdTime),
    updatedTime: String(p.ts),
    seq: -1,
    maxLeverage: String(inst.maxLeverage),
  };
}

/** One UNIFIED account with its single settle coin, as /v5/account/wallet-balance and the `wallet` topic show it. */
export function walletWire(b: SimBalance) {
  const im = D.toText(D.add(D.dec(b.positionMargin), D.dec(b.orderMargin)));
  return {
    accountType: 'UNIFIED',
    accountIMRate: '0',
    accountMMRate: '0',
    accountLTV: '0',
    totalEquity: b.equity,
    totalWalletBalance: b.wallet,
    totalMarginBalance: b.equity,
    totalAvailableBalance: b.available,
    totalPerpUPL: b.unrealizedPnl,
    totalInitialMargin: im,
    totalMaintenanceMargin: '0',
    coin: [
      {
        coin: b.asset,
        equity: b.equity,
        usdValue: b.equity,
        walletBalance: b.wallet,
        availableToWithdraw: b.available,
        availableToBorrow: '',
        borrowAmount: '0',
        accruedInterest: '0',
        totalOrderIM: b.orderMargin,
        totalPositionIM: b.positionMargin,
        totalPositionMM: '0',
        unrealisedPnl: b.unrealizedPnl,
        cumRealisedPnl: '0',
        bonus: '0',
        collateralSwitch: true,
        marginCollateral: true,
        locked: '0',
        spotHedgingQty: '0',
      },
    ],
  };
}
