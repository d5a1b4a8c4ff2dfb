import { Instrument, type DepthMessage, type MarkMessage, type TradeMessage } from '@perpetua/core';
import { createSimWorld, type SimEvent, type SimInstrument } from '@perpetua/sim';
import type { ReplayEvent } from './replay-event.js';

export interface SimWorldReplayOptions {
  seed: number;
  venue: string;
  symbol: string;
  hours: number;
  /** Our receive time = the venue's time + this (the simulated world has no network). */
  feedLatencyMs?: number;
  stepMs?: number;
}

/** The simulator's instrument as the venue's adapter would report it. */
export function simInstrument(inst: SimInstrument, venue: string): Instrument {
  return Instrument.parse({ venue, symbol: inst.symbol, venueSymbol: inst.symbol, base: inst.asset, quote: inst.quote, tickSize: inst.tickSize, lotSize: inst.lotSize, minQty: inst.minQty, makerFee: Number(inst.makerFee), takerFee: Number(inst.takerFee) });
}

/** The instrument a simulated venue lists for a symbol (for recordings of the simulator, which carry no instruments). */
export function simulatedInstrument(venue: string, symbol: string): Instrument | undefined {
  const asset = symbol.split('-')[0]!;
  try {
    const world = createSimWorld({ seed: 1, venues: [venue], assets: [asset], background: false });
    const inst = world.venue(venue).instrument(symbol);
    return inst ? simInstrument(inst, venue) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A simulated world on a logical clock (`--sim SEED`): the venue simulator's
 * price process, background liquidity and taker flow for one venue and
 * symbol, stepped as fast as the runner takes events, turned into the
 * messages a recording would hold (book deltas with update ids, trades,
 * marks). The same seed gives the same stream.
 */
export function simWorldReplay(opts: SimWorldReplayOptions): { instrument: Instrument; events: () => Generator<ReplayEvent> } {
  const asset = opts.symbol.split('-')[0]!;
  const world = createSimWorld({ seed: opts.seed, venues: [opts.venue], assets: [asset], clock: 'logical', stepMs: opts.stepMs ?? 100 });
  const engine = world.venue(opts.venue);
  const inst = engine.instrument(opts.symbol);
  if (!inst) throw new Error(`the simulated ${opts.venue} has no ${opts.symbol}`);
  const feed = opts.feedLatencyMs ?? 0;
  const venue = opts.venue;
  const symbol = opts.symbol;
  const buffer: ReplayEvent[] = [];
  const num = (levels: ReadonlyArray<readonly [string, string]>): Array<[number, number]> => levels.map(([p, s]) => [Number(p), Number(s)]);
  engine.subscribe((e: SimEvent) => {
    if (!('symbol' in e) || e.symbol !== symbol) return;
    if (e.type === 'book') {
      const msg: DepthMessage = { venue, symbol, type: 'delta', bids: num(e.bids), asks: num(e.asks), venueSeq: e.lastUpdateId, prevVenueSeq: e.prevUpdateId, tsExchange: e.ts, tsReceived: e.ts + feed };
      buffer.push({ kind: 'depth', msg });
    } else if (e.type === 'trade') {
      const msg: TradeMessage = { venue, symbol, tradeId: e.tradeId, price: Number(e.price), size: Number(e.qty), side: e.side, tsExchange: e.ts, tsReceived: e.ts + feed, tsPublished: e.ts + feed };
      buffer.push({ kind: 'trade', msg });
    } else if (e.type === 'mark') {
      const msg: MarkMessage = { venue, symbol, markPrice: Number(e.markPrice), indexPrice: Number(e.indexPrice), fundingRate: Number(e.fundingRate), nextFundingTime: e.nextFundingTime, tsExchange: e.ts, tsReceived: e.ts + feed, tsPublished: e.ts + feed };
      buffer.push({ kind: 'mark', msg });
    }
  });
  const end = world.now() + opts.hours * 3_600_000;
  return {
    instrument: simInstrument(inst, venue),
    *events() {
      const snap = engine.book(symbol);
      yield { kind: 'depth', msg: { venue, symbol, type: 'snapshot', bids: num(snap.bids), asks: num(snap.asks), venueSeq: snap.lastUpdateId, tsExchange: world.now(), tsReceived: world.now() + feed } };
      buffer.length = 0; // changes before the snapshot are in it
      while (world.now() < end) {
        world.step();
        for (const e of buffer) yield e;
        buffer.length = 0;
      }
    },
  };
}
