import type { SimInstrument, VenueEngine } from '../../engine/types.js';

/**
 * Binance names a USDⓈ-M perpetual base + margin asset (BTC-PERP margined in USDT is BTCUSDT).
 * Built once from the engine's instrument list; unknown names are `undefined`, never a guess.
 */
export class BinanceSymbols {
  private readonly byVenue = new Map<string, SimInstrument>();
  private readonly byCanonical = new Map<string, string>();

  constructor(instruments: readonly SimInstrument[]) {
    for (const inst of instruments) {
      const venueSymbol = `${inst.asset}${inst.quote}`.toUpperCase();
      this.byVenue.set(venueSymbol, inst);
      this.byCanonical.set(inst.symbol, venueSymbol);
    }
  }

  static of(engine: VenueEngine): BinanceSymbols {
    return new BinanceSymbols(engine.instruments());
  }

  /** The instrument behind a Binance symbol (case-sensitive, as Binance is). */
  instrument(venueSymbol: string): SimInstrument | undefined {
    return this.byVenue.get(venueSymbol);
  }

  toVenue(canonical: string): string {
    const v = this.byCanonical.get(canonical);
    if (v === undefined) throw new Error(`binance façade: no venue symbol for ${canonical}`);
    return v;
  }

  venueSymbols(): string[] {
    return [...this.byVenue.keys()];
  }

  instruments(): SimInstrument[] {
    return [...this.byVenue.values()];
  }
}
