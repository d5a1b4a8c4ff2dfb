import { D, type Decimal } from '@perpetua/core';
import type { SimTrade } from '../engine/types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The window moves a minute at a time: trades are summed per minute, never kept one by one. */
export const TRADE_BUCKET_MS = 60_000;
/** Minutes kept: a day's, plus the one `now` falls in. */
export const TRADE_BUCKETS = DAY_MS / TRADE_BUCKET_MS + 1;
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

/** One minute of trades, summed. */
interface TradeBucket {
  start: number;
  first: SimTrade;
  last: SimTrade;
  high: Decimal;
  low: Decimal;
  volume: Decimal;
  turnover: Decimal;
  count: number;
}

const bucketStart = (ts: number): number => ts - (((ts % TRADE_BUCKET_MS) + TRADE_BUCKET_MS) % TRADE_BUCKET_MS);

/**
 * The last 24 hours of one symbol's public trades on the world's clock, fed from the engine's trade events (the engine
 * keeps only its last few trades). Each façade's ticker names and rounds the sums its own way.
 *
 * Bounded by design: trades are summed into minute buckets (first and last trade, high, low, volume, turnover,
 * count), at most TRADE_BUCKETS of them, whatever the trade rate. Keeping every trade of the day (up to 100,000 a
 * symbol) grew `npm start` by every trade for hours, and each ticker request walked them all. The price: the window
 * is the 24 hours to the minute, i.e. it starts at the minute `now − 24h` falls in.
 */
export class RollingTrades {
  private buckets: TradeBucket[] = [];

  add(trade: SimTrade): void {
    const start = bucketStart(trade.ts);
    const p = D.dec(trade.price);
    const q = D.dec(trade.qty);
    // Trades come in time order; one that does not (a replayed backlog) joins the latest bucket at or before it.
    let i = this.buckets.length - 1;
    while (i >= 0 && this.buckets[i]!.start > start) i--;
    const b = i >= 0 ? this.buckets[i] : undefined;
    if (b && b.start === start) {
      if (trade.ts < b.first.ts) b.first = trade;
      if (trade.ts >= b.last.ts) b.last = trade;
      b.high = D.max(b.high, p);
      b.low = D.min(b.low, p);
      b.volume = D.add(b.volume, q);
      b.turnover = D.add(b.turnover, D.mul(p, q));
      b.count++;
      return;
    }
    this.buckets.splice(i + 1, 0, { start, first: trade, last: trade, high: p, low: p, volume: q, turnover: D.mul(p, q), count: 1 });
    if (this.buckets.length > TRADE_BUCKETS) this.buckets.splice(0, this.buckets.length - TRADE_BUCKETS);
  }

  /** Minute buckets held (for the bound's test). */
  get bucketCount(): number {
    return this.buckets.length;
  }

  /** The window's sums, or only its start when no trade falls in the 24h before `now` (to the minute). */
  summarize(now: number): TradeWindowSummary | { from: number; first: undefined } {
    const from = now - DAY_MS;
    const oldest = bucketStart(from);
    const firstIdx = this.buckets.findIndex((b) => b.start >= oldest);
    if (firstIdx < 0) this.buckets = [];
    else if (firstIdx > 0) this.buckets.splice(0, firstIdx);
    const window = this.buckets;
    const head = window[0];
    const tail = window[window.length - 1];
    if (!head || !tail) return { from, first: undefined };
    let { high, low, volume, turnover, count } = head;
    for (let i = 1; i < window.length; i++) {
      const b = window[i]!;
      high = D.max(high, b.high);
      low = D.min(low, b.low);
      volume = D.add(volume, b.volume);
      turnover = D.add(turnover, b.turnover);
      count += b.count;
    }
    return { from, first: head.first, last: tail.last, high, low, volume, turnover, count };
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
