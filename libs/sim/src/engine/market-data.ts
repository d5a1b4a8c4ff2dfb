import type { SimBookSnapshot, SimLevel, SimMark, SimTrade } from './types.js';
import type { EngineOrder } from './engine-order.js';
import type { BookSide } from './order-book.js';
import type { EventFanOut } from './event-fan-out.js';
import type { VenueState } from './venue-state.js';
import { levelTexts } from './level-texts.js';

/** The venue's public market data: book snapshots, recent trades, and the mark, index and funding rate. */
export class MarketData {
  constructor(
    private readonly state: VenueState,
    private readonly events: EventFanOut,
  ) {}

  book(symbol: string, depth = 1000): SimBookSnapshot {
    const s = this.state.sym(symbol);
    // Pending diffs (inside a batch) go out first, so the snapshot's lastUpdateId covers everything it shows.
    this.events.flushBook(s);
    const rt = s.rt;
    const levels = (side: BookSide<EngineOrder>): SimLevel[] => {
      const n = Math.min(depth, side.ticks.length);
      const out: SimLevel[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = levelTexts(rt, side.levels.get(side.ticks[i]!)!);
      return out;
    };
    return { symbol, lastUpdateId: s.book.updateId, bids: levels(s.book.bids), asks: levels(s.book.asks), ts: this.state.clock() };
  }

  recentTrades(symbol: string, n = 100): SimTrade[] {
    const s = this.state.symbols.get(symbol);
    if (!s) return [];
    return s.trades.slice(-Math.max(0, n)).map((t) => ({ ...t }));
  }

  mark(symbol: string): SimMark {
    const s = this.state.sym(symbol);
    const m = s.mark;
    return {
      symbol,
      markPrice: m.markText,
      indexPrice: m.indexText,
      fundingRate: m.fundingRateText,
      nextFundingTime: m.nextFundingTime,
      fundingIntervalMs: this.state.config.fundingIntervalMs,
      ts: m.ts,
    };
  }

  /** Sets a symbol's mark, index and funding rate (floats from the price process) and emits a 'mark' event. */
  setMarket(symbol: string, markPrice: number, indexPrice: number, fundingRate: number): void {
    const s = this.state.sym(symbol);
    const m = s.mark;
    m.set(markPrice, indexPrice, fundingRate, s.rt.price.decimals + 2, this.state.clock());
    if (this.events.listening) this.events.emit({ type: 'mark', venue: this.state.name, ...this.mark(symbol) });
  }
}
