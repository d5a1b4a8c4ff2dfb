import { D } from '@perpetua/core';
import type { SimTrade } from '../../engine/types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_TRADES = 100_000;
const EIGHT_PLACES = D.dec('0.00000001');
const THREE_PLACES = D.dec('0.001');

/** Binance's GET /fapi/v1/ticker/24hr fields for one symbol. */
export interface Ticker24h {
  priceChange: string;
  priceChangePercent: string;
  weightedAvgPrice: string;
  lastPrice: string;
  lastQty: string;
  openPrice: string;
  highPrice: string;
  lowPrice: string;
  volume: string;
  quoteVolume: string;
  openTime: number;
  closeTime: number;
  firstId: number;
  lastId: number;
  count: number;
}

/**
 * Rolling 24-hour statistics of one symbol's public trades, fed from the engine's trade
 * events (the engine itself keeps only the last few trades). Bounded in memory.
 */
export class RollingTickerStats {
  private trades: SimTrade[] = [];

  add(trade: SimTrade): void {
    this.trades.push(trade);
    if (this.trades.length > MAX_TRADES) this.trades = this.trades.slice(-MAX_TRADES / 2);
  }

  /** Stats over the trades of the last 24h before `now`; with none, every price is `fallbackPrice`. */
  stats(now: number, fallbackPrice: string): Ticker24h {
    const from = now - DAY_MS;
    const firstIdx = this.trades.findIndex((t) => t.ts >= from);
    if (firstIdx > 0) this.trades = this.trades.slice(firstIdx);
    const window = firstIdx < 0 ? [] : this.trades;
    const first = window[0];
    const last = window[window.length - 1];
    if (!first || !last) {
      return {
        priceChange: '0',
        priceChangePercent: '0',
        weightedAvgPrice: fallbackPrice,
        lastPrice: fallbackPrice,
        lastQty: '0',
        openPrice: fallbackPrice,
        highPrice: fallbackPrice,
        lowPrice: fallbackPrice,
        volume: '0',
        quoteVolume: '0',
        openTime: from,
        closeTime: now,
        firstId: -1,
        lastId: -1,
        count: 0,
      };
    }
    let high = D.dec(first.price);
    let low = high;
    let volume = D.ZERO;
    let quoteVolume = D.ZERO;
    for (const t of window) {
      const p = D.dec(t.price);
      const q = D.dec(t.qty);
      high = D.max(high, p);
      low = D.min(low, p);
      volume = D.add(volume, q);
      quoteVolume = D.add(quoteVolume, D.mul(p, q));
    }
    const open = D.dec(first.price);
    const close = D.dec(last.price);
    const change = D.sub(close, open);
    const pct = open === D.ZERO ? D.ZERO : D.roundToStep(D.div(D.mul(change, D.dec(100)), open), THREE_PLACES, 'half-even');
    const vwap = volume === D.ZERO ? close : D.roundToStep(D.div(quoteVolume, volume), EIGHT_PLACES, 'half-even');
    return {
      priceChange: D.toText(change),
      priceChangePercent: D.toText(pct),
      weightedAvgPrice: D.toText(vwap),
      lastPrice: last.price,
      lastQty: last.qty,
      openPrice: first.price,
      highPrice: D.toText(high),
      lowPrice: D.toText(low),
      volume: D.toText(volume),
      quoteVolume: D.toText(quoteVolume),
      openTime: first.ts,
      closeTime: last.ts,
      firstId: Number(first.tradeId),
      lastId: Number(last.tradeId),
      count: window.length,
    };
  }
}
