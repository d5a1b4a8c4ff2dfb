/** One price level: `[price, size]`. In a delta, size 0 deletes the level. */
export type Level = readonly [price: number, size: number];

/** A side of the book: bids (buyers, best = highest) or asks (sellers, best = lowest). */
export type BookSide = 'bid' | 'ask';
