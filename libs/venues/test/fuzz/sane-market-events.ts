import type { BookEvent, MarketDataHandlers, VenueMark, VenueTrade } from '../../src/venue-adapter.js';

/**
 * Market-data handlers that record what an adapter emits and say what is wrong with it: whatever a venue sends, an
 * adapter may emit only events a book and a strategy can trust (finite positive prices, finite sizes, finite times).
 */
export interface RecordingHandlers extends MarketDataHandlers {
  problems: string[];
  emitted: number;
  invalid: number;
}

const positive = (x: number | undefined): boolean => x !== undefined && Number.isFinite(x) && x > 0;
const finite = (x: number | undefined): boolean => x !== undefined && Number.isFinite(x);

export function recordingHandlers(): RecordingHandlers {
  const h: RecordingHandlers = {
    problems: [],
    emitted: 0,
    invalid: 0,
    onBook(e: BookEvent) {
      h.emitted++;
      for (const [p, q] of [...e.bids, ...e.asks])
        if (!positive(p) || !finite(q) || q < 0 || (e.kind === 'snapshot' && q === 0)) h.problems.push(`book level ${p} x ${q}`);
      if (!finite(e.tsExchange) || !finite(e.tsReceived)) h.problems.push(`book time ${e.tsExchange}`);
      if (typeof e.symbol !== 'string' || !e.symbol.endsWith('-PERP')) h.problems.push(`book symbol ${e.symbol}`);
    },
    onTrade(t: VenueTrade) {
      h.emitted++;
      if (!positive(t.price) || !positive(t.size)) h.problems.push(`trade ${t.price} x ${t.size}`);
      if (t.side !== 'buy' && t.side !== 'sell') h.problems.push(`trade side ${String(t.side)}`);
      if (!finite(t.tsExchange) || typeof t.tradeId !== 'string' || t.tradeId === '') h.problems.push(`trade id/time ${t.tradeId} ${t.tsExchange}`);
    },
    onMark(m: VenueMark) {
      h.emitted++;
      if (!positive(m.markPrice)) h.problems.push(`mark ${m.markPrice}`);
      if (m.indexPrice !== undefined && !positive(m.indexPrice)) h.problems.push(`index ${m.indexPrice}`);
      if (m.fundingRate !== undefined && !finite(m.fundingRate)) h.problems.push(`funding ${m.fundingRate}`);
      if (!finite(m.tsExchange) || (m.nextFundingTime !== undefined && !finite(m.nextFundingTime))) h.problems.push(`mark time ${m.tsExchange}`);
    },
    onStatus() {},
    onInvalid(kind: string, detail: string) {
      h.invalid++;
      if (typeof kind !== 'string' || typeof detail !== 'string') h.problems.push('onInvalid without text');
    },
  };
  return h;
}
