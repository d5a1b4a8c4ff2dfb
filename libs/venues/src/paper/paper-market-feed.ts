import { seededRandom, type Instrument } from '@perpetua/core';
import type { MarketDataAdapter, MarketDataHandlers } from '../venue-adapter.js';
import { PaperMarketModel, type PaperMarketParams } from './paper-market-model.js';
import { paperInstrument } from './paper-instrument.js';

export interface PaperFeedConfig {
  venue: string;
  symbols: string[];
  seed: number;
  startPrice: number;
  volatilityBps: number;
  tickSize: string;
  lotSize: string;
  makerFee: number;
  takerFee: number;
  stepMs: number;
  depth: number;
  tradesPerStep: number;
}

/** Market-data half of the paper venue: a random-walk market per symbol, pushed as book snapshots and trades. */
export class PaperMarketFeed implements MarketDataAdapter {
  readonly venue: string;
  private timer: NodeJS.Timeout | undefined;
  private tradeSeq = 0;

  constructor(private readonly config: PaperFeedConfig) {
    this.venue = config.venue;
  }

  async instruments(): Promise<Instrument[]> {
    return this.config.symbols.map((symbol) => paperInstrument({ ...this.config, symbol }));
  }

  async start(symbols: string[], handlers: MarketDataHandlers): Promise<void> {
    const c = this.config;
    const models = symbols.map((symbol, i) => {
      const params: PaperMarketParams = {
        startPrice: c.startPrice * (symbol.startsWith('ETH') ? 0.04 : 1),
        volatilityBps: c.volatilityBps,
        tickSize: Number(c.tickSize),
        lotSize: Number(c.lotSize),
        depth: c.depth,
        halfSpreadTicks: 1,
        tradesPerStep: c.tradesPerStep,
      };
      return { symbol, model: new PaperMarketModel(params, seededRandom(c.seed + i * 7919)), seq: 0 };
    });
    const tick = () => {
      const now = Date.now();
      for (const m of models) {
        const step = m.model.step();
        m.seq++;
        handlers.onBook({ kind: 'snapshot', symbol: m.symbol, bids: step.bids, asks: step.asks, venueSeq: m.seq, tsExchange: now, tsReceived: now });
        for (const t of step.trades) {
          handlers.onTrade?.({ symbol: m.symbol, tradeId: `paper-${++this.tradeSeq}`, price: t.price, size: t.size, side: t.side, tsExchange: now, tsReceived: now });
        }
        handlers.onMark?.({ symbol: m.symbol, markPrice: step.mid, indexPrice: step.mid, fundingRate: 0, tsExchange: now, tsReceived: now });
      }
    };
    handlers.onStatus?.('connected');
    tick();
    this.timer = setInterval(tick, c.stepMs);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
