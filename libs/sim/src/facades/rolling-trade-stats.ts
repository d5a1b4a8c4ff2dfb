import { D, type Decimal } from '@perpetua/core';
import type { SimTrade } from '../engine/types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_TRADES = 100_000;
const SIX_PLACES = D.dec('0.000001');

/** 24-hour statistics of a symbol's trades, named as Bybit's linear ticker names them (OKX's ticker maps them). */
export interface Stats24h {
  lastPrice: string;
  prevPrice24h: string;
  price24hPcnt: string;
  highPrice24h: string;
  lowPrice24h: string;
  volume24h: string;
  turnover24h: string;
}

/** Sums over the trades of one rolling window (`first`..`last` in time order). */
export interface TradeWindowSummary {
  /** Start of the window (now minus 24h). */
  from: number;
  first: SimTrade;
  last: SimTrade;
  high: Decimal;
  low: Decimal;
  /** Sum of quantities. */
  volume: Decimal;
  /** Sum of price × quantity. */
  turnover: Decimal;
  count: number;
}

/**
 * The last 24 hours of one symbol's public trades on the world's clock, fed from the engine's trade events (the engine
 * keeps only its last few trades). Bounded in memory. Each façade's ticker names and rounds the sums its own way.
 */
export class RollingTrades {
  private trades: SimTrade[] = [];

  add(trade: SimTrade): void {
    this.trades.push(trade);
    if (this.trades.length > MAX_TRADES) this.trades = this.trades.slice(-MAX_TRADES / 2);
  }

  /** The window's sums, or only its start when no trade falls in the 24h before `now`. */
  summarize(now: number): TradeWindowSummary | { from: number; first: undefined } {
    const from = now - DAY_MS;
    const firstIdx = this.trades.findIndex((t) => t.ts >= from);
    if (firstIdx > 0) this.trades = this.trades.slice(firstIdx);
    const window = firstIdx < 0 ? [] : this.trades;
    const first = window[0];
    const last = window[window.length - 1];
    if (!first || !last) return { from, first: undefined };
    let high = D.dec(first.price);
    let low = high;
    let volume = D.ZERO;
    let turnover = D.ZERO;
    for (const t of window) {
      const p = D.dec(t.price);
      const q = D.dec(t.qty);
      high = D.max(high, p);
      low = D.min(low, p);
      volume = D.add(volume, q);
      turnover = D.add(turnover, D.mul(p, q));
    }
    return { from, first, last, high, low, volume, turnover, count: window.length };
  }
}

/** Rolling 24-hour statistics named as Bybit's linear ticker names them (OKX's ticker maps them). */
export class RollingStats extends RollingTrades {
  stats(now: number, fallbackPrice: string): Stats24h {
    const w = this.summarize(now);
    if (w.first === undefined) {
      return { lastPrice: fallbackPrice, prevPrice24h: fallbackPrice, price24hPcnt: '0', highPrice24h: fallbackPrice, lowPrice24h: fallbackPrice, volume24h: '0', turnover24h: '0' };
    }
    const { first, last } = w;
    const open = D.dec(first.price);
    const change = D.sub(D.dec(last.price), open);
    // Bybit's price24hPcnt is a fraction with 6 places ("0.008047" = +0.8047%).
    const pct = open === D.ZERO ? D.ZERO : D.roundToStep(D.div(change, open), SIX_PLACES, 'half-even');
    return {
      lastPrice: last.price,
      prevPrice24h: first.price,
      price24hPcnt: D.toText(pct),
      highPrice24h: D.toText(w.high),
      lowPrice24h: D.toText(w.low),
      volume24h: D.toText(w.volume),
      turnover24h: D.toText(w.turnover),
    };
  }
}
