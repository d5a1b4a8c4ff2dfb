import type { SimInstrument, VenueEngine } from '../../engine/types.js';
import { BinanceErrors } from './errors.js';
import type { ListenKeys } from './listen-keys.js';
import type { OrderHistory } from './order-history.js';
import type { ApiCredential, KeyRing } from './request-auth.js';
import type { RawParams } from './request-params.js';
import type { BinanceSymbols } from './symbols.js';
import type { RollingTickerStats } from './ticker-stats.js';

/** What every endpoint of the façade shares. */
export interface BinanceFacadeContext {
  engine: VenueEngine;
  symbols: BinanceSymbols;
  keys: KeyRing;
  listenKeys: ListenKeys;
  /** Per canonical symbol. */
  tickers: Map<string, RollingTickerStats>;
  history: OrderHistory;
  /** Wall clock: the server time clients sign against and GET /fapi/v1/time reports. */
  serverTime(): number;
  /** The simulated world's clock (event and market-data timestamps). */
  marketTime(): number;
  /** Called when a listen key is deleted, so its streams can be closed. */
  onListenKeyClosed(listenKey: string): void;
}

export interface RestRequest {
  method: string;
  path: string;
  params: RawParams;
  rawQuery: string;
  rawBody: string;
  apiKeyHeader: string | string[] | undefined;
}

/** NONE: public; USER_STREAM: API key only; SIGNED: API key + HMAC signature + timestamp. */
export type Security = 'NONE' | 'USER_STREAM' | 'SIGNED';

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  security: Security;
  handle(ctx: BinanceFacadeContext, req: RestRequest, cred: ApiCredential | undefined): unknown;
}

/** The instrument behind a Binance symbol parameter, or Binance's -1121. */
export function resolveSymbol(ctx: BinanceFacadeContext, venueSymbol: string): { inst: SimInstrument; venueSymbol: string } {
  const inst = ctx.symbols.instrument(venueSymbol);
  if (!inst) throw BinanceErrors.invalidSymbol();
  return { inst, venueSymbol };
}

/** The credential of a signed route (the router guarantees it is present). */
export function signedAccount(cred: ApiCredential | undefined): string {
  if (!cred) throw BinanceErrors.rejectedApiKey();
  return cred.accountId;
}
