import { buckets, Instrument, lastValueKey } from '@perpetua/core';
import type { Bus } from '@perpetua/bus';
import { ConfigurationError } from './configuration-error.js';

/**
 * The instrument a venue's gateway published, waiting for the gateway when it
 * has not yet (services start in any order). Quoters and routers snap prices
 * with it, so they never need the venue themselves.
 */
export async function awaitInstrument(bus: Bus, venue: string, symbol: string, timeoutMs = 60_000): Promise<Instrument> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    const found = await bus.getLast(buckets.instruments, lastValueKey(venue, symbol), Instrument);
    if (found) return found;
    if (Date.now() + delay > deadline)
      throw new ConfigurationError(`no instrument for ${venue} ${symbol} after ${timeoutMs} ms: is the ${venue} gateway running, and does the venue list ${symbol}?`);
    await new Promise((r) => setTimeout(r, delay));
  }
}
