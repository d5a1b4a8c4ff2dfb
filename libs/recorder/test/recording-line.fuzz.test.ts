import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subjects } from '@perpetua/core';
import { frameOf, fuzzParameters, fuzzTimeoutMs } from '@perpetua/testkit';
import { RecordedMessage, parseRecordingLine } from '../src/index.js';

const TS = { tsExchange: 1_767_225_600_000, tsReceived: 1_767_225_600_001 };
/** One valid line of each kind, as the recorder writes them. */
const SAMPLES = [
  { kind: 'book', t: 1, subject: subjects.book('a', 'BTC-PERP'), msg: { venue: 'a', symbol: 'BTC-PERP', seq: 1, venueSeq: 77, bids: [[100, 1]], asks: [[100.1, 2]], ...TS, tsPublished: 3, stale: false, trace: { venue: 1, 'gw.recv': 2 } } },
  { kind: 'depth', t: 2, subject: subjects.depth('a', 'BTC-PERP'), msg: { venue: 'a', symbol: 'BTC-PERP', type: 'delta', bids: [[100, 0]], asks: [[101, 3]], venueSeq: 8, prevVenueSeq: 7, ...TS } },
  { kind: 'bbo', t: 3, subject: subjects.bbo('a', 'BTC-PERP'), msg: { venue: 'a', symbol: 'BTC-PERP', seq: 2, bid: [100, 1], ask: null, ...TS, tsPublished: 4, stale: false } },
  { kind: 'trade', t: 4, subject: subjects.trade('a', 'BTC-PERP'), msg: { venue: 'a', symbol: 'BTC-PERP', tradeId: 't1', price: 100, size: 0.5, side: 'buy', ...TS, tsPublished: 5 } },
  { kind: 'mark', t: 5, subject: subjects.mark('a', 'BTC-PERP'), msg: { venue: 'a', symbol: 'BTC-PERP', markPrice: 100, indexPrice: 99.9, fundingRate: 0.0001, nextFundingTime: 9, ...TS, tsPublished: 6 } },
  { kind: 'status', t: 6, subject: subjects.status('a'), msg: { venue: 'a', state: 'connected', staleSymbols: [], ts: 7 } },
];

describe('recording lines (fuzz)', () => {
  it('reads every valid sample', () => {
    for (const s of SAMPLES) expect(parseRecordingLine(JSON.stringify(s)), s.kind).toEqual({ message: RecordedMessage.parse(s) });
  });

  it(
    'never throws: a line is a message the bus schemas take, a one-line reason, or blank',
    () => {
      fc.assert(
        fc.property(frameOf(SAMPLES), (text) => {
          const line = parseRecordingLine(text);
          if (line === undefined) expect(text.trim()).toBe('');
          else if ('error' in line) expect(line.error.length).toBeGreaterThan(0);
          else expect(RecordedMessage.safeParse(line.message).success).toBe(true);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeoutMs(),
  );
});
