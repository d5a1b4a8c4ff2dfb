import { D } from '@perpetua/core';
import { z } from 'zod';
import {
  NOTIONAL_CAP,
  accountV2,
  accountV3,
  balanceEntry,
  maintMarginRatio,
  positionRiskV2,
  positionRiskV3,
} from './account-wire.js';
import { BinanceErrors } from './errors.js';
import { type BinanceFacadeContext, type Route, resolveSymbol, signedAccount } from './facade-context.js';
import { P, parseParams } from './request-params.js';
import { rejectionError } from './rejections.js';

/** Account, position, leverage and account-configuration endpoints of /fapi (SIGNED). */

const OptionalSymbol = z.object({ symbol: P.symbol.optional() });
const SymbolParam = z.object({ symbol: P.symbol });
const LeverageParams = z.object({ symbol: P.symbol, leverage: P.integer });
const MarginTypeParams = z.object({ symbol: P.symbol, marginType: z.enum(['ISOLATED', 'CROSSED']) });
const DualSideParams = z.object({ dualSidePosition: P.bool });

/** The account's positions joined with their instruments, every listed symbol included (flat ones too). */
function heldPositions(ctx: BinanceFacadeContext, accountId: string, onlySymbol?: string) {
  const known = new Map(ctx.engine.positions(accountId).map((p) => [p.symbol, p]));
  return ctx.symbols
    .instruments()
    .filter((inst) => onlySymbol === undefined || inst.symbol === onlySymbol)
    .map((inst) => ({
      p: known.get(inst.symbol) ?? ctx.engine.position(accountId, inst.symbol),
      inst,
      venueSymbol: ctx.symbols.toVenue(inst.symbol),
    }));
}

const account = (version: 2 | 3): Route => ({
  method: 'GET',
  path: `/fapi/v${version}/account`,
  security: 'SIGNED',
  handle: (ctx, _req, cred) => {
    const id = signedAccount(cred);
    const b = ctx.engine.balance(id);
    return version === 3 ? accountV3(b, heldPositions(ctx, id)) : accountV2(b, heldPositions(ctx, id));
  },
});

const balance = (version: 2 | 3): Route => ({
  method: 'GET',
  path: `/fapi/v${version}/balance`,
  security: 'SIGNED',
  handle: (ctx, _req, cred) => {
    const id = signedAccount(cred);
    return [balanceEntry(ctx.engine.balance(id), id)];
  },
});

const positionRisk = (version: 2 | 3): Route => ({
  method: 'GET',
  path: `/fapi/v${version}/positionRisk`,
  security: 'SIGNED',
  handle: (ctx, req, cred) => {
    const p = parseParams(OptionalSymbol, req.params);
    const only = p.symbol === undefined ? undefined : resolveSymbol(ctx, p.symbol).inst.symbol;
    const id = signedAccount(cred);
    const held = heldPositions(ctx, id, only);
    if (version === 2) return held.map(({ p: pos, inst, venueSymbol }) => positionRiskV2(pos, inst, venueSymbol));
    // v3 lists only symbols with a position or open orders.
    const withOrders = new Set(ctx.engine.openOrders(id).map((o) => o.symbol));
    return held
      .filter(({ p: pos, inst }) => D.dec(pos.qty) !== D.ZERO || withOrders.has(inst.symbol))
      .map(({ p: pos, inst, venueSymbol }) => positionRiskV3(pos, inst, venueSymbol));
  },
});

export const accountRoutes: Route[] = [
  account(2),
  account(3),
  balance(2),
  balance(3),
  positionRisk(2),
  positionRisk(3),
  {
    method: 'POST',
    path: '/fapi/v1/leverage',
    security: 'SIGNED',
    handle: (ctx, req, cred) => {
      const p = parseParams(LeverageParams, req.params);
      const { inst, venueSymbol } = resolveSymbol(ctx, p.symbol);
      const leverage = Number(p.leverage);
      if (leverage < 1 || leverage > inst.maxLeverage) throw BinanceErrors.invalidLeverage(p.leverage);
      const r = ctx.engine.setLeverage(signedAccount(cred), inst.symbol, leverage);
      if (!r.ok) throw rejectionError(r, 'leverage', inst, p.leverage);
      return { leverage: r.leverage, maxNotionalValue: r.maxNotional, symbol: venueSymbol };
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/leverageBracket',
    security: 'SIGNED',
    handle: (ctx, req) => {
      const p = parseParams(OptionalSymbol, req.params);
      const picked =
        p.symbol === undefined
          ? ctx.symbols.instruments().map((inst) => ({ inst, venueSymbol: ctx.symbols.toVenue(inst.symbol) }))
          : [resolveSymbol(ctx, p.symbol)];
      const entries = picked.map(({ inst, venueSymbol }) => ({
        symbol: venueSymbol,
        notionalCoef: 1.0,
        brackets: [
          {
            bracket: 1,
            initialLeverage: inst.maxLeverage,
            notionalCap: Number(NOTIONAL_CAP),
            notionalFloor: 0,
            maintMarginRatio: Number(maintMarginRatio(inst)),
            cum: 0.0,
          },
        ],
      }));
      // With a symbol Binance answers one object, without it the list.
      return p.symbol === undefined ? entries : entries[0];
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/commissionRate',
    security: 'SIGNED',
    handle: (ctx, req) => {
      const p = parseParams(SymbolParam, req.params);
      const { inst, venueSymbol } = resolveSymbol(ctx, p.symbol);
      return { symbol: venueSymbol, makerCommissionRate: inst.makerFee, takerCommissionRate: inst.takerFee };
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/positionSide/dual',
    security: 'SIGNED',
    handle: () => ({ dualSidePosition: false }),
  },
  {
    method: 'POST',
    path: '/fapi/v1/positionSide/dual',
    security: 'SIGNED',
    handle: (_ctx, req) => {
      const p = parseParams(DualSideParams, req.params);
      // The simulator books one-way (net) positions only: hedge mode cannot be switched on.
      if (p.dualSidePosition.toLowerCase() === 'false') throw BinanceErrors.noNeedToChangePositionSide();
      throw BinanceErrors.invalidParam('dualSidePosition');
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/multiAssetsMargin',
    security: 'SIGNED',
    handle: () => ({ multiAssetsMargin: false }),
  },
  {
    method: 'POST',
    path: '/fapi/v1/marginType',
    security: 'SIGNED',
    handle: (ctx, req) => {
      const p = parseParams(MarginTypeParams, req.params);
      resolveSymbol(ctx, p.symbol);
      // Cross margin only.
      if (p.marginType === 'CROSSED') throw BinanceErrors.noNeedToChangeMarginType();
      throw BinanceErrors.invalidParam('marginType');
    },
  },
];
