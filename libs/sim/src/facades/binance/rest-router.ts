import { defaultClientRoutes } from './default-client-endpoints.js';
import { accountRoutes } from './account-endpoints.js';
import { incomeRoutes } from './income-endpoints.js';
import { BinanceApiError, BinanceErrors } from './errors.js';
import type { BinanceFacadeContext, RestRequest, Route } from './facade-context.js';
import { listenKeyRoutes } from './listen-key-endpoints.js';
import { publicRoutes } from './public-endpoints.js';
import { requireApiKey, requireSignature } from './request-auth.js';
import { collectParams } from './request-params.js';
import { tradingRoutes } from './trading-endpoints.js';

export interface RestAnswer {
  status: number;
  body: unknown;
}

const ROUTES = new Map<string, Route>(
  [...publicRoutes, ...tradingRoutes, ...accountRoutes, ...incomeRoutes, ...listenKeyRoutes, ...defaultClientRoutes].map((r) => [`${r.method} ${r.path}`, r]),
);

export interface IncomingRest {
  method: string;
  path: string;
  rawQuery: string;
  /** The body as sent; only form-encoded bodies carry parameters. */
  rawBody: string;
  formBody: boolean;
  apiKeyHeader: string | string[] | undefined;
}

/**
 * Routes one REST request: finds the endpoint, checks its security, parses parameters and
 * answers JSON. Every request error becomes a Binance error body; only an unexpected internal
 * error escapes as a throw, for the server to report and answer as -1000.
 */
export function routeRest(ctx: BinanceFacadeContext, inc: IncomingRest): RestAnswer {
  try {
    const route = ROUTES.get(`${inc.method} ${inc.path}`);
    if (!route) throw BinanceErrors.invalidPath(inc.path, inc.method);
    const rawBody = inc.formBody ? inc.rawBody : '';
    const params = collectParams(inc.rawQuery, rawBody);
    const req: RestRequest = { method: inc.method, path: inc.path, params, rawQuery: inc.rawQuery, rawBody, apiKeyHeader: inc.apiKeyHeader };
    const cred =
      route.security === 'SIGNED'
        ? requireSignature(ctx.keys, inc.apiKeyHeader, params, inc.rawQuery, rawBody, ctx.serverTime())
        : route.security === 'USER_STREAM'
          ? requireApiKey(ctx.keys, inc.apiKeyHeader)
          : undefined;
    return { status: 200, body: route.handle(ctx, req, cred) };
  } catch (e) {
    // Anything else is a façade bug: the caller reports it (onInternalError) and answers -1000.
    if (!(e instanceof BinanceApiError)) throw e;
    return { status: e.status, body: e.body() };
  }
}
