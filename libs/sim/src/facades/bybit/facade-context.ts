import type { SimInstrument, VenueEngine } from '../../engine/types.js';
import { BybitErrors } from './errors.js';
import type { OrderRecord, OrderStore } from './order-store.js';
import type { ApiCredential, KeyRing } from './request-auth.js';
import type { BybitSymbols } from './symbols.js';
import type { RollingStats } from '../rolling-trade-stats.js';

/** What every endpoint of the façade shares. */
export interface BybitFacadeContext {
  engine: VenueEngine;
  symbols: BybitSymbols;
  keys: KeyRing;
  orders: OrderStore;
  /** Per canonical symbol. */
  stats: Map<string, RollingStats>;
  /** Wall clock: what clients sign against and GET /v5/market/time reports. */
  serverTime(): number;
  /** The simulated world's clock (market-data and order timestamps). */
  marketTime(): number;
  /** Pushes an order the façade itself cancelled at once to the private `order` topic. */
  publishOrder(rec: OrderRecord): void;
}

export interface RestRequest {
  /** Query parameters (GET) or the parsed JSON body (POST). */
  params: Record<string, unknown>;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  signed: boolean;
  handle(ctx: BybitFacadeContext, req: RestRequest, cred: ApiCredential | undefined): unknown;
}

/** The instrument behind a Bybit symbol, or Bybit's "Not supported symbols". */
export function resolveSymbol(ctx: BybitFacadeContext, venueSymbol: string): SimInstrument {
  const inst = ctx.symbols.instrument(venueSymbol);
  if (!inst) throw BybitErrors.unknownSymbol();
  return inst;
}

/** The account of a signed route (the router guarantees the credential). */
export function accountOf(cred: ApiCredential | undefined): string {
  if (!cred) throw BybitErrors.invalidKey();
  return cred.accountId;
}
