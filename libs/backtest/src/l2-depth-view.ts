import type { L2Book } from '@perpetua/book';
import type { BookSide, DepthView } from '@perpetua/fills';

/** A full-depth L2Book (kept from the venue's deltas) as the fill model's DepthView, without copying levels. */
export class L2DepthView implements DepthView {
  constructor(private readonly book: L2Book) {}

  bestBid(): number | undefined {
    return this.book.priceAt('bid', 0);
  }

  bestAsk(): number | undefined {
    return this.book.priceAt('ask', 0);
  }

  qtyAt(side: BookSide, price: number): number | undefined {
    for (let i = 0; ; i++) {
      const p = this.book.priceAt(side, i);
      if (p === undefined) return 0; // full depth: past the last level means empty
      if (p === price) return this.book.sizeAt(side, i)!;
      if (side === 'bid' ? p < price : p > price) return 0;
    }
  }

  forEachLevel(side: BookSide, visit: (price: number, qty: number) => boolean): void {
    for (let i = 0; ; i++) {
      const p = this.book.priceAt(side, i);
      if (p === undefined || !visit(p, this.book.sizeAt(side, i)!)) return;
    }
  }
}
