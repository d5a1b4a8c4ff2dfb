/**
 * Rolling 24h high / low / volume per symbol, from the public trades the façade has
 * seen (the engine keeps only recent trades). Times are the world's clock.
 */
import { toText } from '@perpetua/core';
import type { SimTrade } from '../../engine/types.js';
import { RollingTrades } from '../rolling-trade-stats.js';
import type { DayStats } from './wire-format.js';

/**
 * Each symbol's window is the shared minute-bucketed one (rolling-trade-stats.ts): bounded by a day of minutes
 * whatever the trade rate, where this kept every trade of the day (up to 100,000 a symbol) before.
 */
export class MarketStats {
  private readonly windows = new Map<string, RollingTrades>();
  private readonly last = new Map<string, string>();

  onTrade(t: SimTrade): void {
    let w = this.windows.get(t.symbol);
    if (!w) {
      w = new RollingTrades();
      this.windows.set(t.symbol, w);
    }
    w.add(t);
    this.last.set(t.symbol, t.price);
  }

  lastPrice(symbol: string): string | undefined {
    return this.last.get(symbol);
  }

  stats(symbol: string, now: number): DayStats {
    const s = this.windows.get(symbol)?.summarize(now);
    if (!s || s.first === undefined) return { high: undefined, low: undefined, volume: '0' };
    return { high: toText(s.high), low: toText(s.low), volume: toText(s.volume) };
  }

  /** Minute buckets held for a symbol (for the bound's test). */
  bucketCount(symbol: string): number {
    return this.windows.get(symbol)?.bucketCount ?? 0;
  }
}
