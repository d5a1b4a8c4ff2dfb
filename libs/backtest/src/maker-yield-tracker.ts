/**
 * Maker-yield uptime, as StandX's program counts it (docs/BACKTEST.md): a
 * second counts when we rest two-sided within `bandBps` of the mark; an hour
 * with at least 30 such minutes earns 0.5×, at least 42 minutes 1.0×; maker
 * hours for the hour = min(counted size, cap) / unit × multiplier, the
 * counted size being the average of min(bid size, ask size) in band over the
 * counted seconds. Pure; fed one sample a second.
 */
export interface MakerYieldRules {
  bandBps: number;
  unit: number;
  capPerSide: number;
}

/** StandX's units and caps per asset (SIP-5A), BTC's for anything unlisted. */
export function makerYieldRules(symbol: string): MakerYieldRules {
  const asset = symbol.split('-')[0];
  const table: Record<string, [number, number]> = { BTC: [2, 20], ETH: [60, 600], SOL: [1500, 15000], XAU: [30, 60] };
  const [unit, capPerSide] = table[asset ?? ''] ?? table.BTC!;
  return { bandBps: 10, unit, capPerSide };
}

export interface QuoteSide {
  price: number;
  qty: number;
}

export class MakerYieldTracker {
  private hour = -1;
  private hourSeconds = 0;
  private hourSize = 0;
  private totalSamples = 0;
  private inBandSamples = 0;
  private credit = 0;

  constructor(private readonly rules: MakerYieldRules) {}

  /** One sample (once a second): our confirmed resting bids and asks and the mark. */
  sample(ts: number, mark: number | undefined, bids: readonly QuoteSide[], asks: readonly QuoteSide[]): void {
    const hour = Math.floor(ts / 3_600_000);
    if (hour !== this.hour) {
      this.closeHour();
      this.hour = hour;
    }
    this.totalSamples++;
    if (mark === undefined || !(mark > 0)) return;
    const band = (mark * this.rules.bandBps) / 10_000;
    let bidSize = 0;
    let askSize = 0;
    for (const b of bids) if (mark - b.price <= band) bidSize += b.qty;
    for (const a of asks) if (a.price - mark <= band) askSize += a.qty;
    if (bidSize <= 0 || askSize <= 0) return;
    this.inBandSamples++;
    this.hourSeconds++;
    this.hourSize += Math.min(bidSize, askSize);
  }

  /** Share of samples two-sided in band, in %. */
  uptimePct(): number {
    return this.totalSamples === 0 ? 0 : (100 * this.inBandSamples) / this.totalSamples;
  }

  /** Maker hours earned so far (the hour in progress counted as if it ended now). */
  makerHours(): number {
    return this.credit + this.hourCredit();
  }

  private hourCredit(): number {
    const minutes = this.hourSeconds / 60;
    const multiplier = minutes >= 42 ? 1 : minutes >= 30 ? 0.5 : 0;
    if (multiplier === 0 || this.hourSeconds === 0) return 0;
    const size = this.hourSize / this.hourSeconds;
    return (Math.min(size, this.rules.capPerSide) / this.rules.unit) * multiplier;
  }

  private closeHour(): void {
    this.credit += this.hourCredit();
    this.hourSeconds = 0;
    this.hourSize = 0;
  }
}
