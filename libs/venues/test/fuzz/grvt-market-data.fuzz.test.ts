import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { frameOf, fuzzParameters, fuzzTimeoutMs } from '@perpetua/testkit';
import { GrvtMarketData } from '../../src/grvt/grvt-market-data.js';
import { GrvtBookSequences } from '../../src/grvt/grvt-book-sequence.js';
import type { MarketDataHandlers } from '../../src/venue-adapter.js';
import { recordingHandlers, type RecordingHandlers } from './sane-market-events.js';

const NS = '1767225600000000000';
/** Valid `/ws/full` frames: a book snapshot and delta, a trade, a ticker, a subscribe answer and a refusal. */
const SAMPLES = [
  { stream: 'v1.book.d', selector: 'BTC_USDT_Perp@100', sequence_number: '0', prev_sequence_number: '0', feed: { event_time: NS, instrument: 'BTC_USDT_Perp', bids: [{ price: '100.5', size: '1.2', num_orders: 2 }], asks: [{ price: '100.6', size: '0.5', num_orders: 1 }] } },
  { stream: 'v1.book.d', selector: 'BTC_USDT_Perp@100', sequence_number: '1', prev_sequence_number: '0', feed: { event_time: NS, instrument: 'BTC_USDT_Perp', bids: [{ price: '100.5', size: '0' }], asks: [{ price: '100.7', size: '3' }] } },
  { stream: 'v1.trade', selector: 'BTC_USDT_Perp@50', sequence_number: '5', feed: { event_time: NS, instrument: 'BTC_USDT_Perp', is_taker_buyer: true, size: '0.1', price: '100.6', trade_id: '77' } },
  { stream: 'v1.ticker.s', selector: 'BTC_USDT_Perp@500', sequence_number: 9, feed: { event_time: NS, instrument: 'BTC_USDT_Perp', mark_price: '100.55', index_price: '100.5', funding_rate: '-0.01', next_funding_time: NS } },
  { jsonrpc: '2.0', id: 1, method: 'subscribe', result: { stream: 'v1.book.d', subs: ['BTC_USDT_Perp@100'], unsubs: [], first_sequence_number: ['0'], latest_sequence_number: ['0'] } },
  { jsonrpc: '2.0', id: 2, method: 'subscribe', error: { code: 1003, message: 'bad selector' } },
];

/** The adapter as start() leaves it, without a socket: the frame handler is what the socket calls. */
interface Internals {
  handlers: MarketDataHandlers | undefined;
  wanted: Set<string>;
  books: GrvtBookSequences;
  startedAt: number;
  seenTrades: Set<string>;
  onMessage(text: string): void;
}

function started(h: RecordingHandlers): { adapter: GrvtMarketData; inner: Internals; onMessage: (text: string) => void } {
  const adapter = new GrvtMarketData();
  const inner = adapter as unknown as Internals;
  inner.handlers = h;
  inner.wanted = new Set(['BTC_USDT_Perp']);
  inner.books = new GrvtBookSequences(inner.wanted);
  inner.startedAt = 0;
  return { adapter, inner, onMessage: (text) => inner.onMessage(text) };
}

describe('GRVT market data frames: defects the fuzzing found', () => {
  it('does not remember the id of a trade it refused (a zero-size trade took its id, so the real one was dropped)', async () => {
    const h = recordingHandlers();
    const { adapter, onMessage } = started(h);
    const trade = (size: string) => ({ ...SAMPLES[2], feed: { ...(SAMPLES[2]!.feed as object), size } });
    onMessage(JSON.stringify(trade('0')));
    onMessage(JSON.stringify(trade('0.1')));
    await adapter.close();
    expect([h.invalid, h.emitted]).toEqual([1, 1]);
  });
});

describe('GRVT market data frames (fuzz)', () => {
  const adapters: GrvtMarketData[] = [];
  afterAll(async () => void (await Promise.all(adapters.map((a) => a.close()))));

  it(
    'never throws, emits only sane books, marks and trades, and a refused trade leaves the trades seen unchanged',
    () => {
      const h = recordingHandlers();
      const { adapter, inner, onMessage } = started(h);
      adapters.push(adapter);
      fc.assert(
        fc.property(frameOf(SAMPLES), (frame) => {
          h.problems.length = 0;
          const [invalid, emitted, seen] = [h.invalid, h.emitted, [...inner.seenTrades]];
          onMessage(frame);
          expect(h.problems).toEqual([]);
          if (h.invalid > invalid && h.emitted === emitted) expect([...inner.seenTrades]).toEqual(seen);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeoutMs(),
  );

  it('takes the valid samples', async () => {
    const h = recordingHandlers();
    const { adapter, onMessage } = started(h);
    for (const s of SAMPLES.slice(0, 4)) onMessage(JSON.stringify(s));
    await adapter.close();
    expect(h.problems).toEqual([]);
    expect(h.emitted).toBe(4);
  });
});
