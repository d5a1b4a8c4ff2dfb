/**
 * GRVT public market-data answers (`full/v1/instrument`, `all_instruments`, `book`, `ticker`, `mini`, `trade`,
 * `funding`) and the snapshots the WS streams start from, read from the engine.
 */
import type { z } from 'zod';
import type { VenueEngine } from '../../engine/types.js';
import { GrvtApiError } from './errors.js';
import type { GrvtInstrument, GrvtInstruments } from './instruments.js';
import {
  bookToWire,
  fundingToWire,
  instrumentToWire,
  miniTickerToWire,
  tickerToWire,
  tradeToWire,
  type TopOfBook,
} from './wire-format.js';
import type { BookRequest, FundingRequest, InstrumentRequest, TradeRequest } from './wire-schemas.js';

const BOOK_DEPTHS = [10, 50, 100, 500];

export class GrvtMarketDataService {
  constructor(
    private readonly engine: VenueEngine,
    private readonly instruments: GrvtInstruments,
  ) {}

  /** The instrument named in a request; `missing` picks GRVT's code for that endpoint (1004 or 3000). */
  resolve(name: string, missing: 'NOT_FOUND' | 'INSTRUMENT_INVALID' = 'NOT_FOUND'): GrvtInstrument {
    const inst = this.instruments.byGrvtName(name);
    if (!inst) throw new GrvtApiError(missing, `instrument ${name}`);
    return inst;
  }

  instrument(req: z.infer<typeof InstrumentRequest>) {
    return instrumentToWire(this.resolve(req.instrument), this.engine.config.fundingIntervalMs);
  }

  allInstruments() {
    return this.instruments.all().map((i) => instrumentToWire(i, this.engine.config.fundingIntervalMs));
  }

  book(req: z.infer<typeof BookRequest>) {
    const inst = this.resolve(req.instrument, 'INSTRUMENT_INVALID');
    const depth = req.depth ?? 10;
    if (!BOOK_DEPTHS.includes(depth)) throw new GrvtApiError('DEPTH_INVALID', String(depth));
    return this.bookSnapshot(inst, depth).wire;
  }

  /** A book snapshot (depth 0 = all levels) with the engine update id it is consistent with. */
  bookSnapshot(inst: GrvtInstrument, depth: number) {
    const snap = this.engine.book(inst.symbol, depth > 0 ? depth : undefined);
    return { lastUpdateId: snap.lastUpdateId, wire: bookToWire(inst.name, snap.bids, snap.asks, snap.ts) };
  }

  private top(inst: GrvtInstrument): TopOfBook {
    const snap = this.engine.book(inst.symbol, 1);
    const top: TopOfBook = {};
    if (snap.bids[0]) top.bid = snap.bids[0];
    if (snap.asks[0]) top.ask = snap.asks[0];
    return top;
  }

  miniTicker(inst: GrvtInstrument, now: number) {
    const last = this.engine.recentTrades(inst.symbol, 1)[0];
    return miniTickerToWire(inst, this.top(inst), this.engine.mark(inst.symbol), last, now);
  }

  ticker(inst: GrvtInstrument, now: number) {
    return tickerToWire(inst, this.top(inst), this.engine.mark(inst.symbol), this.engine.recentTrades(inst.symbol, 1000), now);
  }

  trades(req: z.infer<typeof TradeRequest>) {
    const inst = this.resolve(req.instrument, 'INSTRUMENT_INVALID');
    const mark = this.engine.mark(inst.symbol);
    // GRVT lists the most recent trades first.
    return this.engine
      .recentTrades(inst.symbol, req.limit ?? 500)
      .reverse()
      .map((t) => tradeToWire(t, inst, mark));
  }

  funding(req: z.infer<typeof FundingRequest>) {
    const inst = this.resolve(req.instrument);
    // The engine keeps no funding history: the current interval's rate is the one entry.
    const mark = this.engine.mark(inst.symbol);
    return { result: [fundingToWire(inst, { ...mark, ts: mark.nextFundingTime - mark.fundingIntervalMs })], next: '' };
  }
}
