/** Everything `perpetua backtest` reports; money as exact decimal text, ratios as numbers rounded for print. */
export interface BacktestReport {
  venue: string;
  symbol: string;
  strategy: string;
  /** Simulated time covered (ms since the epoch). */
  from: number;
  to: number;
  events: number;
  pnl: {
    realized: string;
    unrealized: string;
    /** Paid to the venue (positive). */
    fees: string;
    /** Received from the venue (positive). */
    rebates: string;
    /** Received (negative: paid). */
    funding: string;
    total: string;
  };
  /** Traded notional, quote currency. */
  volume: string;
  volumeBase: string;
  fills: number;
  ordersPlaced: number;
  cancels: number;
  /** Orders with at least one fill ÷ orders placed. */
  fillRate: number;
  /** Size-weighted distance of our fills from the mid at the fill, bps (positive: we earned spread). */
  avgCapturedSpreadBps: number;
  inventory: { mean: number; std: number; maxAbs: number; final: string };
  /** Base volume ÷ mean |inventory|: how many times the inventory turned over. */
  turnover: number;
  /** Largest fall of total PnL from its running peak, quote currency. */
  maxDrawdown: number;
  /** Mean ÷ std of per-minute PnL changes, × √1440 (per day). */
  dailySharpe: number;
  /** Quote sets that changed what we want resting, per simulated minute. */
  requotesPerMinute: number;
  volatilityPauseSec: number;
  makerYield: { uptimePct: number; makerHours: number };
  riskRejects: Record<string, number>;
}

/** The time series behind the HTML report (bounded). */
export interface BacktestSeries {
  /** [ts s, total PnL, position, mid, our quoted spread bps (NaN when one-sided)] */
  samples: ReadonlyArray<readonly [number, number, number, number, number]>;
  /** [ts s, price, signed qty] */
  fills: ReadonlyArray<readonly [number, number, number]>;
}

export interface BacktestResult {
  report: BacktestReport;
  series: BacktestSeries;
}
