import { BinanceErrors } from './errors.js';
import type { Route } from './facade-context.js';

/** POST/PUT/DELETE /fapi/v1/listenKey (security USER_STREAM: API key, no signature). */
export const listenKeyRoutes: Route[] = [
  {
    method: 'POST',
    path: '/fapi/v1/listenKey',
    security: 'USER_STREAM',
    handle: (ctx, _req, cred) => {
      if (!cred) throw BinanceErrors.rejectedApiKey();
      return { listenKey: ctx.listenKeys.open(cred.accountId) };
    },
  },
  {
    method: 'PUT',
    path: '/fapi/v1/listenKey',
    security: 'USER_STREAM',
    handle: (ctx, _req, cred) => {
      if (!cred) throw BinanceErrors.rejectedApiKey();
      const listenKey = ctx.listenKeys.keepAlive(cred.accountId);
      if (listenKey === undefined) throw BinanceErrors.invalidListenKey();
      return { listenKey };
    },
  },
  {
    method: 'DELETE',
    path: '/fapi/v1/listenKey',
    security: 'USER_STREAM',
    handle: (ctx, _req, cred) => {
      if (!cred) throw BinanceErrors.rejectedApiKey();
      const closed = ctx.listenKeys.close(cred.accountId);
      if (closed !== undefined) ctx.onListenKeyClosed(closed);
      return {};
    },
  },
];
