import { D } from '@perpetua/core';
import type { SimBalance, SimFill, SimLevel, SimOrder, SimPosition } from '../../engine/types.js';
import { toContracts, type OkxInstrument } from './okx-instruments.js';

/** OKX sends every number as a string; an absent one as "". */
const ORD_TYPE: Record<SimOrder['tif'], string> = { gtc: 'limit', ioc: 'ioc', fok: 'fok', post_only: 'post_only' };

function state(o: SimOrder): string {
  switch (o.status) {
    case 'new':
      return 'live';
    case 'partially_filled':
      return 'partially_filled';
    case 'filled':
      return 'filled';
    default:
      return 'canceled';
  }
}

/** OKX's cancelSource codes for the close reasons it has one for. */
const CANCEL_SOURCE: Partial<Record<NonNullable<SimOrder['closeReason']>, string>> = {
  user: '1',
  cancel_all: '1',
  ioc_remainder: '14',
  market_remainder: '14',
  stp: '20',
  reduce_only: '13',
  halt: '0',
};

/** The fee as OKX reports it: negative when charged, positive for a rebate. */
const okxFee = (fee: string): string => D.toText(D.neg(D.dec(fee)));

export interface OrderWireExtras {
  /** Cumulative fee of the order (engine sign: positive = paid). */
  cumFee?: string;
  /** The fill this update reports (orders channel). */
  fill?: SimFill;
}

/** An order as GET /api/v5/trade/order and the `orders` channel show it; sizes in contracts. */
export function orderWire(o: SimOrder, inst: OkxInstrument, quote: string, x: OrderWireExtras = {}): Record<string, string> {
  const f = x.fill;
  return {
    instType: 'SWAP',
    instId: inst.instId,
    ccy: '',
    ordId: o.orderId,
    clOrdId: o.clientOrderId,
    tag: '',
    px: o.type === 'market' ? '' : o.price,
    sz: toContracts(inst, o.qty),
    notionalUsd: '',
    ordType: o.type === 'market' ? 'market' : ORD_TYPE[o.tif],
    side: o.side,
    posSide: 'net',
    tdMode: 'cross',
    tgtCcy: '',
    accFillSz: toContracts(inst, o.filledQty),
    avgPx: o.avgFillPrice === '0' ? '' : o.avgFillPrice,
    state: state(o),
    lever: '',
    fee: okxFee(x.cumFee ?? '0'),
    feeCcy: quote,
    rebate: '0',
    rebateCcy: quote,
    pnl: '0',
    category: 'normal',
    reduceOnly: o.reduceOnly ? 'true' : 'false',
    cancelSource: o.status === 'canceled' || o.status === 'expired' ? (CANCEL_SOURCE[o.closeReason ?? 'user'] ?? '') : '',
    cancelSourceReason: '',
    fillPx: f ? f.price : '',
    fillSz: f ? toContracts(inst, f.qty) : '0',
    fillTime: f ? String(f.ts) : '',
    tradeId: f ? f.tradeId : '',
    fillFee: f ? okxFee(f.fee) : '0',
    fillFeeCcy: f ? f.feeAsset : '',
    execType: f ? (f.liquidity === 'maker' ? 'M' : 'T') : '',
    uTime: String(o.updatedAt),
    cTime: String(o.createdAt),
  };
}

/** A fill as GET /api/v5/trade/fills(-history) shows it. */
export function fillWire(f: SimFill, inst: OkxInstrument): Record<string, string> {
  return {
    instType: 'SWAP',
    instId: inst.instId,
    tradeId: f.tradeId,
    ordId: f.orderId,
    clOrdId: f.clientOrderId,
    billId: f.fillId,
    tag: '',
    fillPx: f.price,
    fillSz: toContracts(inst, f.qty),
    side: f.side,
    posSide: 'net',
    execType: f.liquidity === 'maker' ? 'M' : 'T',
    feeCcy: f.feeAsset,
    fee: okxFee(f.fee),
    ts: String(f.ts),
    fillTime: String(f.ts),
  };
}

/** A position as GET /api/v5/account/positions and the `positions` channel show it (net mode, cross margin). */
export function positionWire(p: SimPosition, inst: OkxInstrument, quote: string): Record<string, string> {
  const flat = p.qty === '0';
  return {
    instType: 'SWAP',
    instId: inst.instId,
    mgnMode: 'cross',
    posId: `${inst.instId}-net`,
    posSide: 'net',
    pos: toContracts(inst, p.qty),
    ccy: quote,
    posCcy: '',
    avgPx: flat ? '' : p.entryPrice,
    markPx: p.markPrice,
    upl: p.unrealizedPnl,
    uplRatio: '0',
    lever: String(p.leverage),
    liqPx: flat ? '' : p.liquidationPrice,
    imr: p.initialMargin,
    margin: '',
    mmr: '0',
    notionalUsd: D.toText(D.mul(D.abs(D.dec(p.qty)), D.dec(p.markPrice))),
    realizedPnl: p.realizedPnl,
    cTime: String(p.ts),
    uTime: String(p.ts),
  };
}

/** The trading account as GET /api/v5/account/balance and the `account` channel show it. */
export function balanceWire(b: SimBalance): Record<string, unknown> {
  return {
    uTime: String(b.ts),
    totalEq: b.equity,
    isoEq: '0',
    adjEq: b.equity,
    imr: b.positionMargin,
    mmr: '0',
    notionalUsd: '',
    details: [
      {
        ccy: b.asset,
        eq: b.equity,
        cashBal: b.wallet,
        availBal: b.available,
        availEq: b.available,
        frozenBal: D.toText(D.add(D.dec(b.positionMargin), D.dec(b.orderMargin))),
        ordFrozen: b.orderMargin,
        imr: b.positionMargin,
        upl: b.unrealizedPnl,
        eqUsd: b.equity,
        uTime: String(b.ts),
      },
    ],
  };
}

/** Book levels as OKX sends them: [price, size in contracts, "0" (deprecated), order count]. */
export function levelsWire(levels: readonly SimLevel[], inst: OkxInstrument): Array<[string, string, string, string]> {
  return levels.map(([px, sz]) => [px, toContracts(inst, sz), '0', sz === '0' ? '0' : '1']);
}

/** The same levels as the checksum reads them (price and contracts). */
export function checksumLevels(levels: readonly SimLevel[], inst: OkxInstrument): SimLevel[] {
  return levels.map(([px, sz]) => [px, toContracts(inst, sz)] as const);
}
