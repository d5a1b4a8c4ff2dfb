import { z } from 'zod';
import { BinanceErrors } from './errors.js';
import { type BinanceFacadeContext, type Route, resolveSymbol } from './facade-context.js';
import {
  depthSnapshot,
  exchangeInfoSymbol,
  premiumIndex,
  restAggTrade,
  restBookTicker,
  restTrade,
  topOfBook,
} from './market-wire.js';
import { P, parseParams } from './request-params.js';
import { RollingTickerStats } from './ticker-stats.js';

/** Public market-data endpoints of /fapi (security NONE). */

const OptionalSymbol = z.object({ symbol: P.symbol.optional() });
const DepthParams = z.object({ symbol: P.symbol, limit: P.integer.optional() });
const TradesParams = z.object({ symbol: P.symbol, limit: P.integer.optional() });
const AggTradesParams = z.object({
  symbol: P.symbol,
  limit: P.integer.optional(),
  fromId: P.integer.optional(),
  startTime: P.integer.optional(),
  endTime: P.integer.optional(),
});

function limitOf(text: string | undefined, dflt: number, max: number): number {
  if (text === undefined) return dflt;
  const n = Number(text);
  if (n < 1) throw BinanceErrors.invalidParam('limit');
  return Math.min(n, max);
}

/** Every symbol, or the one named, as (canonical, venue) pairs. */
function selected(ctx: BinanceFacadeContext, symbol: string | undefined) {
  if (symbol !== undefined) return [resolveSymbol(ctx, symbol)];
  return ctx.symbols.venueSymbols().map((s) => resolveSymbol(ctx, s));
}

/** One answer for a named symbol, an array for all (Binance's convention). */
const oneOrAll = <T>(symbol: string | undefined, items: T[]): T | T[] => (symbol !== undefined ? (items[0] as T) : items);

function ticker24h(ctx: BinanceFacadeContext, inst: { symbol: string }, venueSymbol: string) {
  let stats = ctx.tickers.get(inst.symbol);
  if (!stats) {
    stats = new RollingTickerStats();
    ctx.tickers.set(inst.symbol, stats);
  }
  const s = stats.stats(ctx.marketTime(), ctx.engine.mark(inst.symbol).markPrice);
  return { symbol: venueSymbol, ...s };
}

export const publicRoutes: Route[] = [
  { method: 'GET', path: '/fapi/v1/ping', security: 'NONE', handle: () => ({}) },
  { method: 'GET', path: '/fapi/v1/time', security: 'NONE', handle: (ctx) => ({ serverTime: ctx.serverTime() }) },
  {
    method: 'GET',
    path: '/fapi/v1/exchangeInfo',
    security: 'NONE',
    handle: (ctx) => ({
      timezone: 'UTC',
      serverTime: ctx.serverTime(),
      futuresType: 'U_MARGINED',
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
        { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
      ],
      exchangeFilters: [],
      assets: [...new Set(ctx.symbols.instruments().map((i) => i.quote))].map((asset) => ({
        asset,
        marginAvailable: true,
        autoAssetExchange: '-10000',
      })),
      symbols: ctx.symbols
        .venueSymbols()
        .map((vs) => resolveSymbol(ctx, vs))
        .map(({ inst, venueSymbol }) => exchangeInfoSymbol(inst, venueSymbol, ctx.engine.isHalted(inst.symbol))),
    }),
  },
  {
    method: 'GET',
    path: '/fapi/v1/depth',
    security: 'NONE',
    handle: (ctx, req) => {
      const p = parseParams(DepthParams, req.params);
      const { inst } = resolveSymbol(ctx, p.symbol);
      const book = ctx.engine.book(inst.symbol, limitOf(p.limit, 500, 1000));
      return depthSnapshot(book, ctx.marketTime());
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/trades',
    security: 'NONE',
    handle: (ctx, req) => {
      const p = parseParams(TradesParams, req.params);
      const { inst } = resolveSymbol(ctx, p.symbol);
      return ctx.engine.recentTrades(inst.symbol, limitOf(p.limit, 500, 1000)).map(restTrade);
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/aggTrades',
    security: 'NONE',
    handle: (ctx, req) => {
      const p = parseParams(AggTradesParams, req.params);
      const { inst } = resolveSymbol(ctx, p.symbol);
      const fromId = p.fromId === undefined ? undefined : Number(p.fromId);
      const start = p.startTime === undefined ? undefined : Number(p.startTime);
      const end = p.endTime === undefined ? undefined : Number(p.endTime);
      return ctx.engine
        .recentTrades(inst.symbol, 1000)
        .filter((t) => (fromId === undefined || Number(t.tradeId) >= fromId) && (start === undefined || t.ts >= start) && (end === undefined || t.ts <= end))
        .slice(0, limitOf(p.limit, 500, 1000))
        .map(restAggTrade);
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/ticker/24hr',
    security: 'NONE',
    handle: (ctx, req) => {
      const p = parseParams(OptionalSymbol, req.params);
      return oneOrAll(p.symbol, selected(ctx, p.symbol).map(({ inst, venueSymbol }) => ticker24h(ctx, inst, venueSymbol)));
    },
  },
  ...['/fapi/v1/ticker/price', '/fapi/v2/ticker/price'].map(
    (path): Route => ({
      method: 'GET',
      path,
      security: 'NONE',
      handle: (ctx, req) => {
        const p = parseParams(OptionalSymbol, req.params);
        return oneOrAll(
          p.symbol,
          selected(ctx, p.symbol).map(({ inst, venueSymbol }) => {
            const last = ctx.engine.recentTrades(inst.symbol, 1)[0];
            return { symbol: venueSymbol, price: last?.price ?? ctx.engine.mark(inst.symbol).markPrice, time: ctx.marketTime() };
          }),
        );
      },
    }),
  ),
  {
    method: 'GET',
    path: '/fapi/v1/ticker/bookTicker',
    security: 'NONE',
    handle: (ctx, req) => {
      const p = parseParams(OptionalSymbol, req.params);
      return oneOrAll(
        p.symbol,
        selected(ctx, p.symbol).map(({ inst, venueSymbol }) => {
          const book = ctx.engine.book(inst.symbol, 1);
          return restBookTicker(topOfBook(book), venueSymbol, book.lastUpdateId, book.ts);
        }),
      );
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/premiumIndex',
    security: 'NONE',
    handle: (ctx, req) => {
      const p = parseParams(OptionalSymbol, req.params);
      return oneOrAll(
        p.symbol,
        selected(ctx, p.symbol).map(({ inst, venueSymbol }) => premiumIndex(ctx.engine.mark(inst.symbol), venueSymbol)),
      );
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/fundingInfo',
    security: 'NONE',
    handle: (ctx) =>
      ctx.symbols.instruments().map((inst) => ({
        symbol: ctx.symbols.toVenue(inst.symbol),
        adjustedFundingRateCap: '0.03000000',
        adjustedFundingRateFloor: '-0.03000000',
        fundingIntervalHours: Math.max(1, Math.round(ctx.engine.mark(inst.symbol).fundingIntervalMs / 3_600_000)),
        disclaimer: false,
      })),
  },
];
