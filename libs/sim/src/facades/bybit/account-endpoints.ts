import { D } from '@perpetua/core';
import { z } from 'zod';
import type { SimFill } from '../../engine/types.js';
import { executionWire, positionWire, walletWire } from './account-wire.js';
import { BybitErrors } from './errors.js';
import { type BybitFacadeContext, type Route, accountOf, resolveSymbol } from './facade-context.js';
import { P, parseParams } from './request-params.js';
import { rejectionError } from './rejections.js';
import { toWireId } from './wire-ids.js';

/** Executions, positions, leverage and the wallet (signed). */

const ExecutionParams = z.object({
  category: P.category,
  symbol: P.symbol.optional(),
  orderId: z.string().max(64).optional(),
  orderLinkId: P.orderLinkId.optional(),
  baseCoin: z.string().max(16).optional(),
  startTime: P.integer.optional(),
  endTime: P.integer.optional(),
  execType: z.enum(['Trade', 'AdlTrade', 'Funding', 'BustTrade', 'Delivery', 'Settle', 'BlockTrade', 'MovePosition']).optional(),
  limit: P.integer.optional(),
  cursor: z.string().max(128).optional(),
});

const PositionParams = z.object({
  category: P.category,
  symbol: P.symbol.optional(),
  baseCoin: z.string().max(16).optional(),
  settleCoin: z.string().max(16).optional(),
  limit: P.integer.optional(),
  cursor: z.string().max(128).optional(),
});

const LeverageParams = z.object({ category: P.category, symbol: P.symbol, buyLeverage: P.decimal, sellLeverage: P.decimal });
const WalletParams = z.object({ accountType: z.enum(['UNIFIED', 'CONTRACT']), coin: z.string().max(64).optional() });

/** One execution row with the order fields Bybit repeats on it. */
export function execution(ctx: BybitFacadeContext, f: SimFill) {
  const inst = resolveSymbol(ctx, ctx.symbols.toVenue(f.symbol));
  const o = ctx.engine.getOrder(f.accountId, f.symbol, { orderId: f.orderId });
  const leaves = o && (o.status === 'new' || o.status === 'partially_filled') ? D.toText(D.sub(D.dec(o.qty), D.dec(o.filledQty))) : '0';
  const order = { qty: o?.qty ?? f.qty, price: o && o.type === 'limit' ? o.price : '0', type: o?.type ?? 'limit', leavesQty: leaves };
  return executionWire(f, ctx.symbols.toVenue(f.symbol), inst, toWireId('order', f.orderId), order, ctx.engine.mark(f.symbol).markPrice);
}

function executions(ctx: BybitFacadeContext, params: Record<string, unknown>, accountId: string) {
  const p = parseParams(ExecutionParams, params);
  const inst = p.symbol !== undefined ? resolveSymbol(ctx, p.symbol) : undefined;
  const limit = p.limit === undefined ? 50 : Number(p.limit);
  if (limit < 1 || limit > 100) throw BybitErrors.params('limit invalid');
  // Only trades are simulated: any other execType has no rows.
  if (p.execType !== undefined && p.execType !== 'Trade') return { category: 'linear', list: [], nextPageCursor: '' };
  const fills = ctx.engine.fills(accountId, {
    ...(inst ? { symbol: inst.symbol } : {}),
    ...(p.startTime !== undefined ? { since: Number(p.startTime) } : {}),
    ...(p.endTime !== undefined ? { until: Number(p.endTime) } : {}),
    limit: 10_000,
  });
  const rows = fills
    .map((f) => execution(ctx, f))
    .filter((e) => (p.orderId === undefined || e.orderId === p.orderId) && (p.orderLinkId === undefined || e.orderLinkId === p.orderLinkId))
    .filter((e) => p.baseCoin === undefined || e.symbol.startsWith(p.baseCoin))
    .reverse()
    .slice(0, limit);
  return { category: 'linear', list: rows, nextPageCursor: '' };
}

function positions(ctx: BybitFacadeContext, params: Record<string, unknown>, accountId: string) {
  const p = parseParams(PositionParams, params);
  if (p.symbol === undefined && p.settleCoin === undefined && p.baseCoin === undefined) throw BybitErrors.params('symbol or settleCoin is required');
  const insts = p.symbol !== undefined ? [resolveSymbol(ctx, p.symbol)] : ctx.symbols.instruments();
  const list = insts
    .filter((i) => (p.settleCoin === undefined || i.quote === p.settleCoin) && (p.baseCoin === undefined || i.asset === p.baseCoin))
    .map((i) => ({ inst: i, pos: ctx.engine.position(accountId, i.symbol) }))
    // Queried by symbol Bybit shows the empty position too; by coin only open ones.
    .filter(({ pos }) => p.symbol !== undefined || pos.qty !== '0')
    .map(({ inst, pos }) => positionWire(pos, ctx.symbols.toVenue(inst.symbol), inst, ctx.marketTime()));
  return { category: 'linear', list, nextPageCursor: '' };
}

function setLeverage(ctx: BybitFacadeContext, params: Record<string, unknown>, accountId: string) {
  const p = parseParams(LeverageParams, params);
  const inst = resolveSymbol(ctx, p.symbol);
  // One-way mode: both sides share one leverage. The engine keeps whole leverages.
  if (D.dec(p.buyLeverage) !== D.dec(p.sellLeverage)) throw BybitErrors.params('buy leverage not equal sell leverage');
  const lev = Number(p.buyLeverage);
  if (!Number.isInteger(lev) || lev < 1) throw BybitErrors.params('buyLeverage invalid');
  if (ctx.engine.position(accountId, inst.symbol).leverage === lev) throw BybitErrors.leverageNotModified();
  const r = ctx.engine.setLeverage(accountId, inst.symbol, lev);
  if (!r.ok) throw rejectionError(r, inst);
  return {};
}

function wallet(ctx: BybitFacadeContext, params: Record<string, unknown>, accountId: string) {
  const p = parseParams(WalletParams, params);
  if (p.accountType !== 'UNIFIED') throw BybitErrors.params('accountType only support UNIFIED');
  return { list: [walletWire(ctx.engine.balance(accountId))] };
}

export const accountRoutes: Route[] = [
  { method: 'GET', path: '/v5/execution/list', signed: true, handle: (ctx, req, cred) => executions(ctx, req.params, accountOf(cred)) },
  { method: 'GET', path: '/v5/position/list', signed: true, handle: (ctx, req, cred) => positions(ctx, req.params, accountOf(cred)) },
  { method: 'POST', path: '/v5/position/set-leverage', signed: true, handle: (ctx, req, cred) => setLeverage(ctx, req.params, accountOf(cred)) },
  { method: 'GET', path: '/v5/account/wallet-balance', signed: true, handle: (ctx, req, cred) => wallet(ctx, req.params, accountOf(cred)) },
  {
    method: 'GET',
    path: '/v5/asset/coin/query-info',
    signed: true,
    // ccxt's loadMarkets asks for currencies whenever it has keys; the simulator has no chains to deposit on.
    handle: (ctx) => {
      const coins = new Set([ctx.engine.config.quote, ...ctx.symbols.instruments().map((i) => i.asset)]);
      return { rows: [...coins].map((coin) => ({ name: coin, coin, remainAmount: '0', chains: [] })) };
    },
  },
  {
    method: 'GET',
    path: '/v5/account/info',
    signed: true,
    // A unified (UTA 2.0) account in regular cross margin: what ccxt's isUnifiedEnabled expects.
    handle: (ctx) => ({ unifiedMarginStatus: 6, marginMode: 'REGULAR_MARGIN', isMasterTrader: false, spotHedgingStatus: 'OFF', updatedTime: String(ctx.marketTime()), dcpStatus: 'OFF', timeWindow: 10, smpGroup: 0 }),
  },
  {
    method: 'GET',
    path: '/v5/user/query-api',
    signed: true,
    handle: (_ctx, _req, cred) => ({ id: '1', note: 'sim', apiKey: cred?.apiKey ?? '', readOnly: 0, secret: '', permissions: { ContractTrade: ['Order', 'Position'], Spot: [], Wallet: ['AccountTransfer'], Options: [], Derivatives: [], CopyTrading: [], BlockTrade: [], Exchange: [], NFT: [] }, ips: ['*'], type: 1, unified: 0, uta: 1, isMaster: true }),
  },
];
