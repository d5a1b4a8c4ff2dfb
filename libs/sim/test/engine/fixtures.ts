import { SimVenueEngine } from '../../src/engine/venue-engine.js';
import { venueConfig } from '../../src/engine/venue-defaults.js';
import type { SimEvent, SimOrderRequest, SimPlaceResult, SimVenueConfig } from '../../src/engine/types.js';

/** A bare venue with one BTC-PERP (tick 0.1, lot 0.001), no background actors, and a hand-driven clock. */
export function makeEngine(overrides: Partial<SimVenueConfig> = {}): {
  engine: SimVenueEngine;
  events: SimEvent[];
  clock: { t: number };
} {
  const clock = { t: 1_700_000_000_000 };
  const cfg = venueConfig({
    name: 'testvenue',
    quote: 'USDT',
    makerFee: '0.0002',
    takerFee: '0.0005',
    instruments: { BTC: { tickSize: '0.1', lotSize: '0.001', minQty: '0.001', maxLeverage: 50, defaultLeverage: 10 } },
    fundingIntervalMs: 8 * 3600_000,
    ...overrides,
  });
  const engine = new SimVenueEngine(cfg, ['BTC'], () => clock.t);
  engine.setMarket('BTC-PERP', 100_000, 100_000, 0.0001);
  const events: SimEvent[] = [];
  engine.subscribe((e) => events.push(e));
  for (const id of ['alice', 'bob', 'carol']) engine.createAccount(id, '1000000');
  return { engine, events, clock };
}

export const BTC = 'BTC-PERP';

/** A limit GTC order with short defaults. */
export function limit(accountId: string, side: 'buy' | 'sell', price: string, qty: string, extra: Partial<SimOrderRequest> = {}): SimOrderRequest {
  return { accountId, symbol: BTC, side, type: 'limit', price, qty, tif: 'gtc', ...extra };
}

export function market(accountId: string, side: 'buy' | 'sell', qty: string, extra: Partial<SimOrderRequest> = {}): SimOrderRequest {
  return { accountId, symbol: BTC, side, type: 'market', qty, tif: 'ioc', ...extra };
}

export function ok(res: SimPlaceResult): Extract<SimPlaceResult, { ok: true }> {
  if (!res.ok) throw new Error(`expected acceptance, got ${res.reason}: ${res.message}`);
  return res;
}

export function reasonOf(res: SimPlaceResult | { ok: boolean; reason?: string }): string | undefined {
  return res.ok ? undefined : (res as { reason: string }).reason;
}
