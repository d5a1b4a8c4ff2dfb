import { snapPrice, trySnapQty, type Instrument, type WantedQuote } from '@perpetua/core';
import { fixedSpreadQuotes, type FixedSpreadParams } from '@perpetua/strategies';
import type { BacktestStrategy } from './backtest-strategy.js';

/**
 * The fixed-spread strategy as the quoter runs it (the pure quote function,
 * snapped once, re-quoted on every book that moves the mid by requoteBps), for
 * replays where the strategy runtime is not wired in.
 */
export function fixedSpreadStrategy(params: FixedSpreadParams, instrument: Instrument, positionOf: () => number = () => 0): BacktestStrategy {
  let lastMid: number | undefined;
  const none = () => null;
  return {
    onBook(book) {
      const bid = book.bids[0]?.[0];
      const ask = book.asks[0]?.[0];
      if (book.stale || bid === undefined || ask === undefined || bid >= ask) return lastMid === undefined ? null : ((lastMid = undefined), []);
      const mid = (bid + ask) / 2;
      if (lastMid !== undefined && (Math.abs(mid - lastMid) / lastMid) * 10_000 < params.requoteBps) return null;
      lastMid = mid;
      const out: WantedQuote[] = [];
      for (const q of fixedSpreadQuotes({ symbol: book.symbol, bestBid: bid, bestAsk: ask, mid, position: positionOf(), ts: book.tsReceived }, params)) {
        const qty = trySnapQty(instrument, q.qty);
        if (qty === null) continue;
        out.push({ slot: q.slot, side: q.side, price: snapPrice(instrument, q.side, q.price), qty, postOnly: true });
      }
      return out;
    },
    onTrade: none,
    onMark: none,
    onOrderEvent: none,
    onFill: none,
    onTimer: none,
    pausedMs: () => 0,
  };
}
