/**
 * Rolling 24h high / low / volume per symbol, from the public trades the façade has
 * seen (the engine keeps only recent trades). Times are the world's clock.
 */
import { add, dec, sub, toText, ZERO, type Decimal } from '@perpetua/core';
import type { SimTrade } from '../../engine/types.js';
import type { DayStats } from './wire-format.js';

const DAY_MS = 24 * 3600 * 1000;
const MAX_TRADES = 100_000;

interface Entry {
  ts: number;
  price: Decimal;
  qty: Decimal;
}

export class MarketStats {
  private readonly trades = new Map<string, Entry[]>();
  private readonly volume = new Map<string, Decimal>();
  private readonly last = new Map<string, string>();

  onTrade(t: SimTrade): void {
    let list = this.trades.get(t.symbol);
    if (!list) {
      list = [];
      this.trades.set(t.symbol, list);
    }
    const e = { ts: t.ts, price: dec(t.price), qty: dec(t.qty) };
    list.push(e);
    this.volume.set(t.symbol, add(this.volume.get(t.symbol) ?? ZERO, e.qty));
    this.last.set(t.symbol, t.price);
    this.trim(t.symbol, t.ts);
  }

  lastPrice(symbol: string): string | undefined {
    return this.last.get(symbol);
  }

  stats(symbol: string, now: number): DayStats {
    this.trim(symbol, now);
    const list = this.trades.get(symbol) ?? [];
    if (list.length === 0) return { high: undefined, low: undefined, volume: '0' };
    let high = list[0]!.price;
    let low = high;
    for (const e of list) {
      if (e.price > high) high = e.price;
      if (e.price < low) low = e.price;
    }
    return { high: toText(high), low: toText(low), volume: toText(this.volume.get(symbol) ?? ZERO) };
  }

  private trim(symbol: string, now: number): void {
    const list = this.trades.get(symbol);
    if (!list) return;
    let drop = 0;
    let vol = this.volume.get(symbol) ?? ZERO;
    while (drop < list.length && (list[drop]!.ts < now - DAY_MS || list.length - drop > MAX_TRADES)) {
      vol = sub(vol, list[drop]!.qty);
      drop++;
    }
    if (drop > 0) {
      list.splice(0, drop);
      this.volume.set(symbol, vol);
    }
  }
}
