import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParameters, fuzzTimeoutMs, valueOf } from '@perpetua/testkit';
import { bookEventOf, markEventOf, tradeEventsOf } from '../../src/ccxt/ccxt-market-events.js';
import { ContractSize } from '../../src/ccxt/contract-size.js';
import { recordingHandlers } from './sane-market-events.js';

/**
 * ccxt's unified market data as our ccxt adapter receives it (watchOrderBook, watchTrades, fetchFundingRate and
 * fetchMarkPrice answers), with odd values: mapping must never throw (it runs inside the adapter's watch loops, where
 * a throw drops the update and resyncs the book) and may only emit sane books, trades and marks.
 */
const T = 1_767_225_600_000;
const BOOKS = [
  { symbol: 'BTC/USDT:USDT', bids: [[100000.1, 0.5], [100000, 1.25]], asks: [[100000.2, 0.75], [100000.5, 2]], timestamp: T, datetime: '2026-01-01T00:00:00.000Z', nonce: 42 },
  { symbol: 'BTC/USDT:USDT', bids: [[99999.9, 3, 2]], asks: [], timestamp: undefined, nonce: undefined },
];
const TRADES = [
  [
    { id: '77', symbol: 'BTC/USDT:USDT', side: 'buy', price: 100000.1, amount: 0.5, cost: 50000.05, timestamp: T, datetime: '2026-01-01T00:00:00.000Z', info: {} },
    { id: '78', symbol: 'BTC/USDT:USDT', side: 'sell', price: 100000, amount: 2, timestamp: T + 1, info: {} },
  ],
  [{ symbol: 'BTC/USDT:USDT', side: 'sell', price: 99999.9, amount: 1 }],
];
const MARKS = [
  { funding: { symbol: 'BTC/USDT:USDT', markPrice: 100000.3, indexPrice: 100000.1, fundingRate: 0.0001, fundingTimestamp: T + 3_600_000, timestamp: T } },
  { funding: { symbol: 'BTC/USDT:USDT', fundingRate: -0.00005, fundingTimestamp: T + 3_600_000 }, mark: { symbol: 'BTC/USDT:USDT', markPrice: 100000.3, indexPrice: 100000 } },
];
const SIZES = [ContractSize.UNIT, ContractSize.ofText('0.01')];

describe('ccxt market events: the valid samples', () => {
  it('map to the book, trades and mark they say, sizes in base units', () => {
    const okx = SIZES[1]!;
    expect(bookEventOf('BTC-PERP', BOOKS[0], 50, okx, T + 5)).toEqual({
      event: { kind: 'snapshot', symbol: 'BTC-PERP', bids: [[100000.1, 0.005], [100000, 0.0125]], asks: [[100000.2, 0.0075], [100000.5, 0.02]], venueSeq: 42, tsExchange: T, tsReceived: T + 5 },
    });
    expect(bookEventOf('BTC-PERP', BOOKS[1], 50, ContractSize.UNIT, T + 5)).toEqual({ event: { kind: 'snapshot', symbol: 'BTC-PERP', bids: [[99999.9, 3]], asks: [], venueSeq: undefined, tsExchange: T + 5, tsReceived: T + 5 } });
    expect(tradeEventsOf('BTC-PERP', TRADES[0], ContractSize.UNIT, T + 5)).toEqual({
      trades: [
        { symbol: 'BTC-PERP', tradeId: '77', price: 100000.1, size: 0.5, side: 'buy', tsExchange: T, tsReceived: T + 5 },
        { symbol: 'BTC-PERP', tradeId: '78', price: 100000, size: 2, side: 'sell', tsExchange: T + 1, tsReceived: T + 5 },
      ],
      refused: [],
    });
    expect(tradeEventsOf('BTC-PERP', TRADES[1], okx, T + 5)).toEqual({ trades: [{ symbol: 'BTC-PERP', tradeId: `${T + 5}-99999.9`, price: 99999.9, size: 0.01, side: 'sell', tsExchange: T + 5, tsReceived: T + 5 }], refused: [] });
    expect(markEventOf('BTC-PERP', MARKS[0]!, T + 5)).toEqual({
      mark: { symbol: 'BTC-PERP', markPrice: 100000.3, indexPrice: 100000.1, fundingRate: 0.0001, nextFundingTime: T + 3_600_000, tsExchange: T, tsReceived: T + 5 },
    });
    expect(markEventOf('BTC-PERP', MARKS[1]!, T + 5)).toEqual({
      mark: { symbol: 'BTC-PERP', markPrice: 100000.3, indexPrice: 100000, fundingRate: -0.00005, nextFundingTime: T + 3_600_000, tsExchange: T + 5, tsReceived: T + 5 },
    });
  });
});

describe('ccxt market events (fuzz)', () => {
  it(
    'a book never throws and is sane',
    () =>
      fc.assert(
        fc.property(valueOf(BOOKS), fc.constantFrom(...SIZES), (ob, size) => {
          const h = recordingHandlers();
          const book = bookEventOf('BTC-PERP', ob, 50, size, T);
          if ('event' in book) h.onBook(book.event);
          else expect(typeof book.invalid).toBe('string');
          expect(h.problems, JSON.stringify(ob)?.slice(0, 300)).toEqual([]);
        }),
        fuzzParameters(),
      ),
    fuzzTimeoutMs(),
  );

  it(
    'trades never throw and are sane',
    () =>
      fc.assert(
        fc.property(valueOf(TRADES), fc.constantFrom(...SIZES), (trades, size) => {
          const h = recordingHandlers();
          const { trades: taken, refused } = tradeEventsOf('BTC-PERP', trades, size, T);
          for (const t of taken) h.onTrade!(t);
          expect(h.problems, JSON.stringify(trades)?.slice(0, 300)).toEqual([]);
          // Every trade of a list is taken or refused: none lost without a word.
          if (Array.isArray(trades)) expect(taken.length + refused.length).toBe(trades.length);
        }),
        fuzzParameters(),
      ),
    fuzzTimeoutMs(),
  );

  it(
    'a mark never throws and is sane',
    () =>
      fc.assert(
        // The adapter always pairs a funding-rate answer with the mark-price answer or none: the odd values are in those.
        fc.property(fc.record({ funding: valueOf(MARKS.map((m) => m.funding)), mark: fc.option(valueOf([MARKS[1]!.mark]), { nil: undefined }) }), (sources) => {
          const h = recordingHandlers();
          const { mark } = markEventOf('BTC-PERP', sources, T);
          if (mark) h.onMark!(mark);
          expect(h.problems, JSON.stringify(sources)?.slice(0, 300)).toEqual([]);
        }),
        fuzzParameters(),
      ),
    fuzzTimeoutMs(),
  );
});
