/** What a quoting strategy sees: pure data, no I/O. */
export interface MarketView {
  symbol: string;
  bestBid: number;
  bestAsk: number;
  mid: number;
  /** Signed position in base units (for inventory-aware strategies). */
  position: number;
  ts: number;
}

/** A quote before snapping: the strategy's wish in floats; the quoter snaps it to tick and lot. */
export interface RawQuote {
  slot: string;
  side: 'buy' | 'sell';
  price: number;
  qty: number;
}
