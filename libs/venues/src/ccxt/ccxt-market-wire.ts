import { z } from 'zod';

/**
 * The parts of ccxt's unified market data (watchOrderBook, watchTrades, fetchFundingRate, fetchMarkPrice answers)
 * the market-data adapter reads, checked here so no odd value (NaN, a negative or huge price, a time that is not a
 * time) reaches a book, trade or mark event. ccxt's types say "number"; what a venue sent says otherwise at times.
 */

/**
 * A price or size: positive, below 1e20 (from 1e21 JavaScript writes numbers with an exponent, which no Decimal
 * reads: a contract market's conversion threw on one).
 */
export const CcxtAmount = z.number().gt(0).lt(1e20);
/** A time in unix ms (before the year 33658: a time in µs or ns is not one). */
export const CcxtTime = z.number().int().nonnegative().lt(1e15);

/** ccxt's book nonce: the venue's update id, when it is one. */
export const CcxtNonce = z.number().int().nonnegative().safe();

/** A book: its sides are arrays (each level is checked as it is taken); time and nonce are read when sane. */
export const CcxtBookShape = z.object({
  bids: z.array(z.unknown()),
  asks: z.array(z.unknown()),
  timestamp: z.unknown().optional(),
  nonce: z.unknown().optional(),
});

/** A public trade: a side, a sane price and amount; an id (1-128 characters) and a time when the venue gives them. */
export const CcxtMarketTradeShape = z.object({
  id: z.string().min(1).max(128).nullish().catch(undefined),
  side: z.enum(['buy', 'sell']),
  price: CcxtAmount,
  amount: CcxtAmount,
  timestamp: CcxtTime.nullish().catch(undefined),
});

/**
 * A funding-rate (or mark-price) answer. Its mark price is checked where the mark is made (absent is no mark, odd is
 * a refusal); an odd index price, funding rate or time is left out rather than sinking the mark.
 */
export const CcxtMarkSourceShape = z.object({
  markPrice: z.unknown().optional(),
  indexPrice: CcxtAmount.nullish().catch(undefined),
  fundingRate: z.number().gt(-1).lt(1).nullish().catch(undefined),
  fundingTimestamp: CcxtTime.nullish().catch(undefined),
  timestamp: CcxtTime.nullish().catch(undefined),
});
