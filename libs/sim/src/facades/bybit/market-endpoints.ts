import { z } from 'zod';
import type { SimInstrument } from '../../engine/types.js';
import { BybitErrors } from './errors.js';
import { type BybitFacadeContext, type Route, resolveSymbol } from './facade-context.js';
import { instrumentWire, levels, recentTradeWire, tickerWire } from './market-wire.js';
import { P, parseParams } from './request-params.js';
import { RollingStats } from '../rolling-trade-stats.js';

/** Public market endpoints of /v5/market (category=linear only). */

const InstrumentsParams = z.object({
  category: P.anyCategory,
  symbol: P.symbol.optional(),
  status: z.enum(['PreLaunch', 'Trading', 'Delivering', 'Closed']).optional(),
  baseCoin: z.string().max(16).optional(),
  limit: P.integer.optional(),
  cursor: z.string().max(64).optional(),
});

const TickersParams = z.object({ category: P.anyCategory, symbol: P.symbol.optional(), baseCoin: z.string().max(16).optional() });
const BookParams = z.object({ category: P.category, symbol: P.symbol, limit: P.integer.optional() });
const TradesParams = z.object({ category: P.category, symbol: P.symbol, limit: P.integer.optional() });

export function ticker(ctx: BybitFacadeContext, inst: SimInstrument): Record<string, string> {
  const mark = ctx.engine.mark(inst.symbol);
  let stats = ctx.stats.get(inst.symbol);
  if (!stats) {
    stats = new RollingStats();
    ctx.stats.set(inst.symbol, stats);
  }
  return tickerWire(ctx.symbols.toVenue(inst.symbol), stats.stats(ctx.marketTime(), mark.markPrice), mark, ctx.engine.book(inst.symbol, 1));
}

/** A positive integer parameter within [1, max], or Bybit's 10001. */
function limitOf(text: string | undefined, dflt: number, max: number, name = 'limit'): number {
  if (text === undefined) return dflt;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw BybitErrors.params(`${name} invalid`);
  return n;
}

export const marketRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v5/market/time',
    signed: false,
    handle: (ctx) => {
      const now = ctx.serverTime();
      return { timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` };
    },
  },
  {
    method: 'GET',
    path: '/v5/market/instruments-info',
    signed: false,
    handle: (ctx, req) => {
      const p = parseParams(InstrumentsParams, req.params);
      // Only linear perpetuals are served; real Bybit lists spot, inverse and options too, here they are empty.
      if (p.category !== 'linear') return { category: p.category, list: [], nextPageCursor: '' };
      // Everything listed is trading: a PreLaunch / Delivering / Closed query is empty, as on the real venue.
      const wanted = p.status === undefined || p.status === 'Trading';
      const list = ctx.symbols
        .instruments()
        .filter((i) => wanted && (p.symbol === undefined || ctx.symbols.toVenue(i.symbol) === p.symbol))
        .filter((i) => p.baseCoin === undefined || i.asset === p.baseCoin)
        .map((i) => instrumentWire(i, ctx.symbols.toVenue(i.symbol), ctx.engine.config.fundingIntervalMs));
      return { category: 'linear', list, nextPageCursor: '' };
    },
  },
  {
    method: 'GET',
    path: '/v5/market/tickers',
    signed: false,
    handle: (ctx, req) => {
      const p = parseParams(TickersParams, req.params);
      if (p.category !== 'linear') return { category: p.category, list: [] };
      const insts = p.symbol === undefined ? ctx.symbols.instruments() : [resolveSymbol(ctx, p.symbol)];
      return { category: 'linear', list: insts.filter((i) => p.baseCoin === undefined || i.asset === p.baseCoin).map((i) => ticker(ctx, i)) };
    },
  },
  {
    method: 'GET',
    path: '/v5/market/orderbook',
    signed: false,
    handle: (ctx, req) => {
      const p = parseParams(BookParams, req.params);
      const inst = resolveSymbol(ctx, p.symbol);
      const book = ctx.engine.book(inst.symbol, limitOf(p.limit, 25, 500));
      return { s: p.symbol, b: levels(book.bids), a: levels(book.asks), ts: book.ts, u: book.lastUpdateId, seq: book.lastUpdateId, cts: book.ts };
    },
  },
  {
    method: 'GET',
    path: '/v5/market/recent-trade',
    signed: false,
    handle: (ctx, req) => {
      const p = parseParams(TradesParams, req.params);
      const inst = resolveSymbol(ctx, p.symbol);
      const trades = ctx.engine.recentTrades(inst.symbol, limitOf(p.limit, 500, 1000));
      // Newest first, as Bybit lists them.
      return { category: 'linear', list: trades.reverse().map((t) => recentTradeWire(t, p.symbol)) };
    },
  },
];
