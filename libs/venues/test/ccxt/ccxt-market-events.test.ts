import { describe, expect, it } from 'vitest';
import { bookEventOf, markEventOf, tradeEventsOf } from '../../src/ccxt/ccxt-market-events.js';
import { ContractSize } from '../../src/ccxt/contract-size.js';

/** Defects the fuzzing of ccxt's market data found (ccxt-market-events.fuzz.test.ts), one describe each. */
const T = 1_767_225_600_000;
const OKX = ContractSize.ofText('0.01');

describe('a ccxt book with odd values', () => {
  it('skips a level no size can be made of, rather than throwing out of the watch loop (1e61 contracts threw a DecimalError; the book resynced)', () => {
    const book = bookEventOf('BTC-PERP', { bids: [[100, 1e61], [99, 1e-30], [98, 2]], asks: [[101, Number.NaN], [102, 1]], timestamp: T, nonce: 7 }, 50, OKX, T + 1);
    expect(book).toEqual({ event: { kind: 'snapshot', symbol: 'BTC-PERP', bids: [[98, 0.02]], asks: [[102, 0.01]], venueSeq: 7, tsExchange: T, tsReceived: T + 1 } });
  });

  it('takes no time or sequence that is not one (a NaN nonce became the venue sequence, a NaN time the exchange time)', () => {
    const book = bookEventOf('BTC-PERP', { bids: [[100, 1]], asks: [], timestamp: Number.NaN, nonce: Number.NaN }, 50, ContractSize.UNIT, T);
    expect(book).toEqual({ event: { kind: 'snapshot', symbol: 'BTC-PERP', bids: [[100, 1]], asks: [], venueSeq: undefined, tsExchange: T, tsReceived: T } });
  });

  it('takes a book without a time or nonce, as ccxt gives one for most venues', () => {
    for (const ob of [{ bids: [[100, 1]], asks: [] }, { bids: [[100, 1]], asks: [], timestamp: undefined, nonce: undefined }])
      expect(bookEventOf('BTC-PERP', ob, 50, ContractSize.UNIT, T)).toEqual({ event: { kind: 'snapshot', symbol: 'BTC-PERP', bids: [[100, 1]], asks: [], venueSeq: undefined, tsExchange: T, tsReceived: T } });
  });

  it('refuses a book whose sides are not lists, saying why', () => {
    expect(bookEventOf('BTC-PERP', { bids: 'x', asks: [] }, 50, ContractSize.UNIT, T)).toMatchObject({ invalid: expect.stringContaining('bids') });
    expect(bookEventOf('BTC-PERP', null, 50, ContractSize.UNIT, T)).toMatchObject({ invalid: expect.any(String) });
  });
});

describe('ccxt trades with odd values', () => {
  it('refuses each trade without a sane price and amount, saying why, and keeps the rest of its batch (a NaN or negative price went out as a trade; on a contract market a huge amount threw and lost the whole batch)', () => {
    const good = { id: '9', side: 'buy', price: 100, amount: 2, timestamp: T };
    const { trades, refused } = tradeEventsOf('BTC-PERP', [{ ...good, price: Number.NaN }, { ...good, price: -1 }, { ...good, amount: 0 }, { ...good, amount: 1e61 }, { ...good, side: 'x' }, good], OKX, T + 1);
    expect(trades).toEqual([{ symbol: 'BTC-PERP', tradeId: '9', price: 100, size: 0.02, side: 'buy', tsExchange: T, tsReceived: T + 1 }]);
    expect(refused).toHaveLength(5);
  });

  it('names a trade with an empty id or no sane time by its time and price (an empty id named no trade; a NaN time went out)', () => {
    const { trades } = tradeEventsOf('BTC-PERP', [{ id: '', side: 'sell', price: 100, amount: 1, timestamp: Number.NaN }], ContractSize.UNIT, T);
    expect(trades).toEqual([{ symbol: 'BTC-PERP', tradeId: `${T}-100`, price: 100, size: 1, side: 'sell', tsExchange: T, tsReceived: T }]);
  });
});

describe('a ccxt mark with odd values', () => {
  it('refuses a mark price that is not a price, saying why (NaN, zero, negative or infinite went out as the mark)', () => {
    for (const markPrice of [Number.NaN, 0, -5, Number.POSITIVE_INFINITY, '100', Object.create(null) as unknown])
      expect(markEventOf('BTC-PERP', { funding: { markPrice, fundingRate: 0.0001 } }, T), typeof markPrice).toEqual({ invalid: expect.stringContaining('is not a price') });
    expect(markEventOf('BTC-PERP', { funding: { fundingRate: 0.0001 } }, T)).toEqual({});
  });

  it('leaves out an odd index price, funding rate or time, and keeps the mark (they went out as they were)', () => {
    expect(markEventOf('BTC-PERP', { funding: { markPrice: 100, indexPrice: -1, fundingRate: Number.NaN, fundingTimestamp: Number.POSITIVE_INFINITY, timestamp: -3 } }, T)).toEqual({
      mark: { symbol: 'BTC-PERP', markPrice: 100, indexPrice: undefined, fundingRate: undefined, nextFundingTime: undefined, tsExchange: T, tsReceived: T },
    });
  });
});
