import { FaultInjector, type WsDecision, type WsFrameInfo } from '@perpetua/sim';

/** Book streams of the four protocols: Binance `btcusdt@depth…`, Bybit `orderbook.50.BTCUSDT`, StandX `depth_book`, GRVT `v1.book.d`. */
const BOOK_STREAM = /depth|orderbook|^v1\.book\./;

export interface FrameCount {
  /** Public market-data frames (books, trades, marks, tickers) the façade wrote. */
  market: number;
  /** Of which book frames. */
  book: number;
  /** The stream names they belonged to, sorted. */
  streams: string[];
}

interface ConnectionCount {
  market: number;
  book: number;
  streams: Set<string>;
}

/**
 * The simulator's fault injector with no fault, counting the market frames the
 * façade writes on each WebSocket connection. Every façade passes each outgoing
 * frame through it (the seam `perpetua sim` always has attached), so this counts
 * what a venue sent to each consumer, whatever the protocol.
 */
export class FrameCountingInjector extends FaultInjector {
  private readonly connections = new Map<number, ConnectionCount>();

  override decideWs(venue: string, frame: WsFrameInfo): WsDecision {
    if (frame.market) {
      let c = this.connections.get(frame.connectionId);
      if (!c) {
        c = { market: 0, book: 0, streams: new Set() };
        this.connections.set(frame.connectionId, c);
      }
      c.market++;
      const stream = frame.stream ?? '';
      if (BOOK_STREAM.test(stream)) c.book++;
      c.streams.add(stream);
    }
    return super.decideWs(venue, frame);
  }

  /** Connections that were sent market frames so far (since the last reset). */
  connectionIds(): number[] {
    return [...this.connections.keys()];
  }

  reset(): void {
    for (const c of this.connections.values()) {
      c.market = 0;
      c.book = 0;
      c.streams.clear();
    }
  }

  /** Frames sent since the last reset on the connections `include` accepts. */
  read(include: (connectionId: number) => boolean): FrameCount {
    const out = { market: 0, book: 0, streams: new Set<string>() };
    for (const [id, c] of this.connections) {
      if (!include(id)) continue;
      out.market += c.market;
      out.book += c.book;
      for (const s of c.streams) out.streams.add(s);
    }
    return { market: out.market, book: out.book, streams: [...out.streams].sort() };
  }
}
