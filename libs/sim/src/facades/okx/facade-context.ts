import type { VenueEngine } from '../../engine/types.js';
import type { RollingStats } from '../rolling-trade-stats.js';
import type { OkxInstruments } from './okx-instruments.js';
import type { OkxOrderKeeper } from './order-keeper.js';
import type { OkxKeyRing } from './request-auth.js';

/** What every endpoint and stream of the OKX façade shares. */
export interface OkxFacadeContext {
  engine: VenueEngine;
  instruments: OkxInstruments;
  keys: OkxKeyRing;
  keeper: OkxOrderKeeper;
  /** Per canonical symbol. */
  stats: Map<string, RollingStats>;
  /** The margin asset (USDT). */
  quote: string;
  /** Wall clock: what clients sign against and /api/v5/public/time reports. */
  serverTime(): number;
  /** The simulated world's clock (market data and orders). */
  marketTime(): number;
  /** Pushes an order the façade closed itself (accepted, then cancelled at once) to the `orders` channel. */
  publishOrder(order: import('../../engine/types.js').SimOrder): void;
}
