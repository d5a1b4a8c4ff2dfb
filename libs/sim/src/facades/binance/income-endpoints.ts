import { z } from 'zod';
import type { SimFundingEvent } from '../../engine/types.js';
import { BinanceErrors } from './errors.js';
import { type Route, resolveSymbol, signedAccount } from './facade-context.js';
import { P, parseParams } from './request-params.js';

/**
 * GET /fapi/v1/income (USER_DATA), the account's income history. The engine books funding only, so
 * incomeType FUNDING_FEE (or none) lists the funding settlements and any other type lists nothing.
 * Binance's reading: `income` positive flows in, negative out; tranId unique per user and income type;
 * without startTime and endTime only the last 7 days; limit default 100, at most 1000; oldest first.
 */
const IncomeParams = z.object({
  symbol: P.symbol.optional(),
  incomeType: z.string().regex(/^[A-Z_]{1,40}$/).optional(),
  startTime: P.integer.optional(),
  endTime: P.integer.optional(),
  page: P.integer.optional(),
  limit: P.integer.optional(),
});

const SEVEN_DAYS_MS = 7 * 86_400_000;

export const incomeRoutes: Route[] = [
  {
    method: 'GET',
    path: '/fapi/v1/income',
    security: 'SIGNED',
    handle: (ctx, req, cred) => {
      const p = parseParams(IncomeParams, req.params);
      const account = signedAccount(cred);
      const symbol = p.symbol === undefined ? undefined : resolveSymbol(ctx, p.symbol).inst.symbol;
      const limit = p.limit === undefined ? 100 : Number(p.limit);
      if (limit < 1) throw BinanceErrors.invalidParam('limit');
      if (p.incomeType !== undefined && p.incomeType !== 'FUNDING_FEE') return [];
      const since = p.startTime !== undefined ? Number(p.startTime) : p.endTime !== undefined ? undefined : ctx.marketTime() - SEVEN_DAYS_MS;
      const payments = ctx.engine.fundingPayments(account, {
        ...(symbol !== undefined ? { symbol } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(p.endTime !== undefined ? { until: Number(p.endTime) } : {}),
        limit: 100_000,
      });
      // Oldest first from startTime, as Binance pages forward.
      return payments.slice(0, Math.min(limit, 1000)).map((f) => incomeEntry(f, ctx.symbols.toVenue(f.symbol), ctx.engine.config.quote));
    },
  },
];

function incomeEntry(f: SimFundingEvent, venueSymbol: string, asset: string) {
  return {
    symbol: venueSymbol,
    incomeType: 'FUNDING_FEE',
    income: f.amount,
    asset,
    info: 'FUNDING_FEE',
    time: f.ts,
    tranId: f.paymentId,
    tradeId: '',
  };
}
