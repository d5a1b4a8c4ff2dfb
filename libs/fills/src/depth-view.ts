import type { BookLevel } from '@perpetua/core';

export type BookSide = 'bid' | 'ask';

/**
 * What the fill simulator reads of the market's book at the venue (without our
 * own orders). A snapshot of top-N levels or a full-depth book kept from deltas
 * both fit behind it.
 */
export interface DepthView {
  bestBid(): number | undefined;
  bestAsk(): number | undefined;
  /** Size resting at `price`: 0 when the price is inside the known depth but empty, undefined when beyond it. */
  qtyAt(side: BookSide, price: number): number | undefined;
  /** Visits levels from the touch outwards until `visit` returns false. */
  forEachLevel(side: BookSide, visit: (price: number, qty: number) => boolean): void;
}

/** A top-N snapshot (bids descending, asks ascending) as a DepthView; no copy is made. */
export class SnapshotDepth implements DepthView {
  bids: readonly BookLevel[] = [];
  asks: readonly BookLevel[] = [];

  set(bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    this.bids = bids;
    this.asks = asks;
  }

  bestBid(): number | undefined {
    return this.bids[0]?.[0];
  }

  bestAsk(): number | undefined {
    return this.asks[0]?.[0];
  }

  qtyAt(side: BookSide, price: number): number | undefined {
    const levels = side === 'bid' ? this.bids : this.asks;
    const better = side === 'bid' ? (p: number) => p < price : (p: number) => p > price;
    for (const [p, q] of levels) {
      if (p === price) return q;
      if (better(p)) return 0; // walked past where the level would be: it is empty
    }
    return levels.length === 0 ? 0 : undefined;
  }

  forEachLevel(side: BookSide, visit: (price: number, qty: number) => boolean): void {
    for (const [p, q] of side === 'bid' ? this.bids : this.asks) if (!visit(p, q)) return;
  }
}
