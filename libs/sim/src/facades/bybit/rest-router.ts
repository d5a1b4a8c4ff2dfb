import { accountRoutes } from './account-endpoints.js';
import { type BybitEnvelope, errorEnvelope, okEnvelope } from './envelope.js';
import { BybitApiError, BybitErrors } from './errors.js';
import type { BybitFacadeContext, Route } from './facade-context.js';
import { marketRoutes } from './market-endpoints.js';
import { orderRoutes } from './order-endpoints.js';
import { requireSignedRequest } from './request-auth.js';
import { jsonBody, queryParams } from './request-params.js';

export interface RestAnswer {
  status: number;
  body: BybitEnvelope;
}

export interface IncomingRest {
  method: string;
  path: string;
  rawQuery: string;
  rawBody: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

const ROUTES = new Map<string, Route>([...marketRoutes, ...orderRoutes, ...accountRoutes].map((r) => [`${r.method} ${r.path}`, r]));

/**
 * Routes one REST request: finds the endpoint, verifies the signature of private ones, parses the query (GET) or
 * JSON body (POST) and wraps the answer in Bybit's envelope. Every failure becomes an error envelope; nothing
 * escapes as a throw, and unexpected errors are reported through `onInternalError`.
 */
export function routeRest(ctx: BybitFacadeContext, inc: IncomingRest, onInternalError?: (err: unknown) => void): RestAnswer {
  const time = ctx.serverTime();
  try {
    const route = ROUTES.get(`${inc.method} ${inc.path}`);
    if (!route) throw BybitErrors.notFound();
    const cred = route.signed ? requireSignedRequest(ctx.keys, inc.headers, inc.method === 'GET' ? inc.rawQuery : inc.rawBody, time) : undefined;
    const params = inc.method === 'GET' ? queryParams(inc.rawQuery) : jsonBody(inc.rawBody);
    return { status: 200, body: okEnvelope(route.handle(ctx, { params }, cred), time) };
  } catch (e) {
    if (!(e instanceof BybitApiError)) onInternalError?.(e);
    const err = e instanceof BybitApiError ? e : BybitErrors.internal();
    return { status: err.status, body: errorEnvelope(err, time) };
  }
}
