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

/** One symbol's trades, oldest first from `head` (entries before it have left the window). */
interface TradeWindow {
  list: Entry[];
  head: number;
}

export class MarketStats {
  private readonly trades = new Map<string, TradeWindow>();
  private readonly volume = new Map<string, Decimal>();
  private readonly last = new Map<string, string>();

  onTrade(t: SimTrade): void {
    let w = this.trades.get(t.symbol);
    if (!w) {
      w = { list: [], head: 0 };
      this.trades.set(t.symbol, w);
    }
    const e = { ts: t.ts, price: dec(t.price), qty: dec(t.qty) };
    w.list.push(e);
    this.volume.set(t.symbol, add(this.volume.get(t.symbol) ?? ZERO, e.qty));
    this.last.set(t.symbol, t.price);
    this.trim(t.symbol, t.ts);
  }

  lastPrice(symbol: string): string | undefined {
    return this.last.get(symbol);
  }

  stats(symbol: string, now: number): DayStats {
    this.trim(symbol, now);
    const w = this.trades.get(symbol);
    if (!w || w.head >= w.list.length) return { high: undefined, low: undefined, volume: '0' };
    let high = w.list[w.head]!.price;
    let low = high;
    for (let i = w.head; i < w.list.length; i++) {
      const e = w.list[i]!;
      if (e.price > high) high = e.price;
      if (e.price < low) low = e.price;
    }
    return { high: toText(high), low: toText(low), volume: toText(this.volume.get(symbol) ?? ZERO) };
  }

  /**
   * Drops trades older than a day or beyond MAX_TRADES by moving `head`; the array is compacted only once half of
   * it is dropped, so a full window costs O(1) per trade instead of a splice of 100,000 entries.
   */
  private trim(symbol: string, now: number): void {
    const w = this.trades.get(symbol);
    if (!w) return;
    const list = w.list;
    let head = w.head;
    let vol = this.volume.get(symbol) ?? ZERO;
    while (head < list.length && (list[head]!.ts < now - DAY_MS || list.length - head > MAX_TRADES)) {
      vol = sub(vol, list[head]!.qty);
      head++;
    }
    if (head === w.head) return;
    this.volume.set(symbol, vol);
    if (head * 2 >= list.length) {
      w.list = list.slice(head);
      w.head = 0;
    } else w.head = head;
  }
}
