import { describe, expect, it } from 'vitest';
import { bookEventOf } from '../../src/ccxt/ccxt-market-events.js';
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

  it('refuses a book whose sides are not lists, saying why', () => {
    expect(bookEventOf('BTC-PERP', { bids: 'x', asks: [] }, 50, ContractSize.UNIT, T)).toMatchObject({ invalid: expect.stringContaining('bids') });
    expect(bookEventOf('BTC-PERP', null, 50, ContractSize.UNIT, T)).toMatchObject({ invalid: expect.any(String) });
  });
});
