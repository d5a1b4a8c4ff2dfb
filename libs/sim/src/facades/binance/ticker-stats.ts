import { D } from '@perpetua/core';
import { RollingTrades } from '../rolling-trade-stats.js';

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

/** Rolling 24-hour statistics of one symbol's public trades, as Binance's 24hr ticker names and rounds them. */
export class RollingTickerStats extends RollingTrades {
  /** Stats over the trades of the last 24h before `now`; with none, every price is `fallbackPrice`. */
  stats(now: number, fallbackPrice: string): Ticker24h {
    const w = this.summarize(now);
    if (w.first === undefined) {
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
        openTime: w.from,
        closeTime: now,
        firstId: -1,
        lastId: -1,
        count: 0,
      };
    }
    const { first, last, volume, turnover: quoteVolume } = w;
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
      highPrice: D.toText(w.high),
      lowPrice: D.toText(w.low),
      volume: D.toText(volume),
      quoteVolume: D.toText(quoteVolume),
      openTime: first.ts,
      closeTime: last.ts,
      firstId: Number(first.tradeId),
      lastId: Number(last.tradeId),
      count: w.count,
    };
  }
}
