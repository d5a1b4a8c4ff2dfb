import { describe, expect, it } from 'vitest';
import { createSimWorld } from '@perpetua/sim';
import { FrameCountingInjector } from './frame-counter.js';

describe('gateway ingest: frames counted at the façade seam', () => {
  it('counts market frames per connection, books apart, and lets every frame through', () => {
    const counter = new FrameCountingInjector({ world: createSimWorld({ seed: 1, venues: ['binanceusdm'], assets: ['BTC'] }) });
    const frame = (connectionId: number, stream: string | undefined, market = true) => counter.decideWs('binanceusdm', { connectionId, stream, market, bookDiff: false });
    expect(frame(1, 'btcusdt@depth@100ms')).toEqual({ kind: 'pass' });
    frame(1, 'btcusdt@trade');
    frame(2, 'orderbook.50.BTCUSDT');
    frame(2, 'depth_book');
    frame(2, 'v1.book.d');
    frame(2, 'v1.trade');
    frame(2, undefined, false); // a reply: not market data
    expect(counter.connectionIds()).toEqual([1, 2]);
    expect(counter.read((id) => id === 1)).toEqual({ market: 2, book: 1, streams: ['btcusdt@depth@100ms', 'btcusdt@trade'] });
    expect(counter.read((id) => id === 2)).toEqual({ market: 4, book: 3, streams: ['depth_book', 'orderbook.50.BTCUSDT', 'v1.book.d', 'v1.trade'] });
    counter.reset();
    expect(counter.read(() => true)).toEqual({ market: 0, book: 0, streams: [] });
    counter.close();
  });
});
