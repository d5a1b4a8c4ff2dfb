import { RingBuffer } from './ring-buffer.js';

/** λ(δ) = A·e^(−κ·δ): the rate (per second) at which trades reach a quote δ price units from the mid. */
export interface IntensityFit {
  /** Trades per second reaching the mid itself (δ = 0). */
  a: number;
  /** Decay per price unit. */
  kappa: number;
  /** Points and trades the fit used, and when (event time, ms). */
  points: number;
  trades: number;
  ts: number;
}

export interface TradeIntensityOptions {
  /** Trades older than this (event time) leave the fit. */
  windowSec: number;
  /** Ring capacity: at most this many trades are kept. */
  maxTrades: number;
  /** Bucket width in bps of the mid at fit time, never below `minBucket` (one tick). */
  bucketBps: number;
  minBucket: number;
  /** Distance buckets fitted, from δ = 0 out. */
  buckets: number;
  /** Trades in the window before a fit is attempted. */
  minTrades: number;
  /** Seconds of event time between fits. */
  refitSec: number;
}

interface TradeDistance {
  ts: number;
  delta: number;
}

/**
 * Online estimate of A and κ from public trades. Each trade's distance δ from
 * the mid just before it is kept (a ring, trimmed to the window). On a timer
 * of event time the intensity at each bucket edge δ_i is the count of trades
 * that reached at least δ_i per second of observed window (a resting quote at
 * δ_i is hit by every trade that goes through it, so the tail count, not the
 * bucket's own count, is the fill intensity); ln λ_i = ln A − κ·δ_i is then
 * fitted by least squares weighted by the counts (Poisson: var(ln n) ≈ 1/n).
 * A fit needs `minTrades` trades, three edges with trades, and κ > 0; until
 * then, and when a refit fails, the last good fit stays (undefined before any).
 */
export class TradeIntensityEstimator {
  private readonly trades: RingBuffer<TradeDistance>;
  private mid: number | undefined;
  private firstTs: number | undefined;
  private lastFitTs: number | undefined;
  private current: IntensityFit | undefined;

  constructor(private readonly opts: TradeIntensityOptions) {
    this.trades = new RingBuffer(opts.maxTrades);
  }

  onMid(ts: number, mid: number): void {
    if (!(mid > 0) || !Number.isFinite(mid)) return;
    this.mid = mid;
    this.firstTs ??= ts;
    this.maybeRefit(ts);
  }

  onTrade(ts: number, price: number): void {
    if (this.mid !== undefined && price > 0 && Number.isFinite(price)) this.trades.push({ ts, delta: Math.abs(price - this.mid) });
    this.maybeRefit(ts);
  }

  fit(): IntensityFit | undefined {
    return this.current;
  }

  /** Trades held now (for diagnostics). */
  tradeCount(): number {
    return this.trades.size;
  }

  private maybeRefit(ts: number): void {
    if (this.lastFitTs !== undefined && ts - this.lastFitTs < this.opts.refitSec * 1000) return;
    this.lastFitTs = ts;
    const f = this.refit(ts);
    if (f) this.current = f;
  }

  private refit(now: number): IntensityFit | undefined {
    const horizon = now - this.opts.windowSec * 1000;
    this.trades.dropWhile((t) => t.ts < horizon);
    const n = this.trades.size;
    if (n < this.opts.minTrades || this.mid === undefined || this.firstTs === undefined) return undefined;
    // Warm-up: the rate is over the time actually observed, not the full window.
    const spanSec = Math.min(this.opts.windowSec, (now - this.firstTs) / 1000);
    if (!(spanSec > 0)) return undefined;
    const width = Math.max(this.opts.minBucket, (this.mid * this.opts.bucketBps) / 10_000);
    // Histogram by bucket (the last one open-ended), then suffix sums: tail[i] = trades with δ ≥ i·width.
    const tail = new Array<number>(this.opts.buckets).fill(0);
    for (const t of this.trades) tail[Math.min(this.opts.buckets - 1, Math.floor(t.delta / width))]!++;
    for (let i = tail.length - 2; i >= 0; i--) tail[i]! += tail[i + 1]!;
    let sw = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    let points = 0;
    for (let i = 0; i < tail.length; i++) {
      const c = tail[i]!;
      if (c === 0) break;
      const x = i * width;
      const y = Math.log(c / spanSec);
      sw += c;
      sx += c * x;
      sy += c * y;
      sxx += c * x * x;
      sxy += c * x * y;
      points++;
    }
    if (points < 3) return undefined;
    const denom = sw * sxx - sx * sx;
    if (!(denom > 0)) return undefined;
    const slope = (sw * sxy - sx * sy) / denom;
    const intercept = (sy - slope * sx) / sw;
    const kappa = -slope;
    const a = Math.exp(intercept);
    if (!(kappa > 0) || !Number.isFinite(kappa) || !(a > 0) || !Number.isFinite(a)) return undefined;
    return { a, kappa, points, trades: n, ts: now };
  }
}
