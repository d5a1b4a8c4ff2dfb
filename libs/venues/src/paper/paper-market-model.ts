import { gaussian } from './gaussian.js';

/**
 * The skeleton's simulated market, pure: a random-walk mid with a ladder of
 * resting depth around it and public trades printed around the touch. Each
 * step advances time by one tick; the I/O shell (PaperMarketFeed) drives it.
 */
export interface PaperMarketParams {
  startPrice: number;
  /** Standard deviation of one step's log return, in basis points. */
  volatilityBps: number;
  tickSize: number;
  lotSize: number;
  /** Levels per side in the generated book. */
  depth: number;
  /** Half the generated book's spread, in ticks. */
  halfSpreadTicks: number;
  /** Expected public trades per step. */
  tradesPerStep: number;
}

export interface PaperMarketStep {
  mid: number;
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
  trades: Array<{ price: number; size: number; side: 'buy' | 'sell' }>;
}

export class PaperMarketModel {
  private mid: number;

  constructor(
    private readonly params: PaperMarketParams,
    private readonly rand: () => number,
  ) {
    this.mid = params.startPrice;
  }

  step(): PaperMarketStep {
    const p = this.params;
    this.mid *= Math.exp((gaussian(this.rand) * p.volatilityBps) / 10_000);
    const tick = p.tickSize;
    const center = Math.round(this.mid / tick);
    const bestBidTicks = center - p.halfSpreadTicks;
    const bestAskTicks = center + p.halfSpreadTicks;
    const bids: Array<[number, number]> = [];
    const asks: Array<[number, number]> = [];
    for (let i = 0; i < p.depth; i++) {
      bids.push([roundTo((bestBidTicks - i) * tick, tick), this.levelSize(i)]);
      asks.push([roundTo((bestAskTicks + i) * tick, tick), this.levelSize(i)]);
    }
    const trades: PaperMarketStep['trades'] = [];
    // Trades print at the touch and, less often, a few ticks through it: that is what fills resting quotes.
    let n = this.poisson(p.tradesPerStep);
    while (n-- > 0) {
      const side = this.rand() < 0.5 ? 'buy' : 'sell';
      const through = Math.floor(-Math.log(Math.max(this.rand(), 1e-12)) * 3);
      const priceTicks = side === 'buy' ? bestAskTicks + through : bestBidTicks - through;
      trades.push({ price: roundTo(priceTicks * tick, tick), size: this.levelSize(0) / 4, side });
    }
    return { mid: this.mid, bids, asks, trades };
  }

  private levelSize(level: number): number {
    const lots = Math.max(1, Math.round((1 + level * 0.5) * (0.5 + this.rand()) * 100));
    return roundTo(lots * this.params.lotSize, this.params.lotSize);
  }

  private poisson(lambda: number): number {
    let k = 0;
    let p = Math.exp(-lambda);
    let s = p;
    const u = this.rand();
    while (u > s && k < 100) {
      k++;
      p *= lambda / k;
      s += p;
    }
    return k;
  }
}

/** Rounds a float to a step's decimals so generated prices print as clean decimals. */
function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number(value.toFixed(decimals));
}
