import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameOf, fuzzParameters, fuzzTimeoutMs } from '@perpetua/testkit';
import { StandxMarketData } from '../../src/standx/standx-market-data.js';
import { recordingHandlers } from './sane-market-events.js';

/** Valid /ws-stream/v1 frames, as the venue sends them: the mutations start from these. */
const SAMPLES = [
  { seq: 10, channel: 'depth_book', symbol: 'BTC-USD', data: { symbol: 'BTC-USD', bids: [['100.5', '1.2'], ['100.4', '3']], asks: [['100.6', '0.5'], ['100.9', '2']] } },
  { seq: 11, channel: 'price', symbol: 'BTC-USD', data: { symbol: 'BTC-USD', mark_price: '100.55', index_price: '100.5', time: '2026-01-01T00:00:00Z' } },
  { seq: 12, channel: 'public_trade', symbol: 'BTC-USD', data: { symbol: 'BTC-USD', price: '100.6', qty: '0.1', id: 7, is_buyer_taker: true, time: '2026-01-01T00:00:01Z' } },
  { seq: 13, channel: 'public_trade', data: { symbol: 'BTC-USD', price: '100.4', qty: '0.3', side: 'sell' } },
  { seq: 1, channel: 'auth', data: { code: 200, msg: 'ok' } },
];

/** The frame handler the socket calls (private: the socket is its only caller). */
type FrameHandler = { onMessage(text: string, wanted: ReadonlySet<string>, h: ReturnType<typeof recordingHandlers>): void };

const onFrame = (frame: unknown): ReturnType<typeof recordingHandlers> => {
  const adapter = new StandxMarketData({ now: () => 1 });
  const h = recordingHandlers();
  (adapter as unknown as FrameHandler).onMessage(JSON.stringify(frame), new Set(['BTC-USD']), h);
  return h;
};

describe('StandX market data frames: defects the fuzzing found', () => {
  it('refuses a mark, index or trade that is not a positive finite number (the decimal pattern lets "-1", "0" and 400 digits through)', () => {
    const price = (mark_price: string, index_price = '100') => ({ seq: 1, channel: 'price', symbol: 'BTC-USD', data: { symbol: 'BTC-USD', mark_price, index_price } });
    const trade = (p: string, qty: string) => ({ seq: 1, channel: 'public_trade', data: { symbol: 'BTC-USD', price: p, qty, id: 1 } });
    for (const frame of [price('-1'), price('0'), price('1'.repeat(400)), price('100', '-0'), trade('-1', '1'), trade('100', '0'), trade('1'.repeat(400), '1'), trade('100', '-0')]) {
      const h = onFrame(frame);
      expect(h.problems, JSON.stringify(frame).slice(0, 120)).toEqual([]);
    }
    expect(onFrame(price('-1')).invalid).toBe(1);
    expect(onFrame(trade('100', '0')).invalid).toBe(1);
  });

  it('names a trade whose id is empty by its time, price and size, as one without an id (an empty id named no trade)', () => {
    const h = recordingHandlers();
    const ids: string[] = [];
    h.onTrade = (t) => void ids.push(t.tradeId);
    const adapter = new StandxMarketData({ now: () => 1 });
    (adapter as unknown as FrameHandler).onMessage(JSON.stringify({ seq: 1, channel: 'public_trade', data: { symbol: 'BTC-USD', price: '100', qty: '1', id: '' } }), new Set(['BTC-USD']), h);
    expect(ids).toEqual(['t-1-100-1']);
  });
});

describe('StandX market data frames (fuzz)', () => {
  it(
    'never throws, and emits only sane books, marks and trades',
    () => {
      const adapter = new StandxMarketData({ now: () => 1_767_225_600_000 });
      const onMessage = (adapter as unknown as FrameHandler).onMessage.bind(adapter);
      const wanted = new Set(['BTC-USD']);
      fc.assert(
        fc.property(frameOf(SAMPLES), (frame) => {
          const h = recordingHandlers();
          onMessage(frame, wanted, h);
          expect(h.problems).toEqual([]);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeoutMs(),
  );

  it('takes the valid samples', () => {
    const adapter = new StandxMarketData({ now: () => 1 });
    const h = recordingHandlers();
    for (const s of SAMPLES) (adapter as unknown as FrameHandler).onMessage(JSON.stringify(s), new Set(['BTC-USD']), h);
    expect(h.emitted).toBe(4);
    expect(h.problems).toEqual([]);
  });
});
