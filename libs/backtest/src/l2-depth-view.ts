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

  /** Full depth: a price with no level is empty (0), never unknown. */
  qtyAt(side: BookSide, price: number): number | undefined {
    return this.book.sizeAtPrice(side, price);
  }

  forEachLevel(side: BookSide, visit: (price: number, qty: number) => boolean): void {
    for (let i = 0; ; i++) {
      const p = this.book.priceAt(side, i);
      if (p === undefined || !visit(p, this.book.sizeAt(side, i)!)) return;
    }
  }
}
