import type { SimInstrument, VenueEngine } from '../engine/types.js';

/**
 * Venues that name a linear perpetual base + quote, concatenated (BTC-PERP
 * margined in USDT is BTCUSDT): Binance USD-M and Bybit linear. Built once from
 * the engine's instruments; unknown names are `undefined`, never a guess.
 */
export class ConcatenatedSymbols {
  private readonly byVenue = new Map<string, SimInstrument>();
  private readonly byCanonical = new Map<string, string>();

  constructor(
    instruments: readonly SimInstrument[],
    /** Names the façade in errors. */
    private readonly facade: string,
  ) {
    for (const inst of instruments) {
      const venueSymbol = `${inst.asset}${inst.quote}`.toUpperCase();
      this.byVenue.set(venueSymbol, inst);
      this.byCanonical.set(inst.symbol, venueSymbol);
    }
  }

  static of(engine: VenueEngine, facade: string): ConcatenatedSymbols {
    return new ConcatenatedSymbols(engine.instruments(), facade);
  }

  /** The instrument behind a venue symbol (case-sensitive: both venues want upper case). */
  instrument(venueSymbol: string): SimInstrument | undefined {
    return this.byVenue.get(venueSymbol);
  }

  toVenue(canonical: string): string {
    const v = this.byCanonical.get(canonical);
    if (v === undefined) throw new Error(`${this.facade} façade: no venue symbol for ${canonical}`);
    return v;
  }

  venueSymbols(): string[] {
    return [...this.byVenue.keys()];
  }

  instruments(): SimInstrument[] {
    return [...this.byVenue.values()];
  }
}
