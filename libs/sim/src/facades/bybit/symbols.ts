import type { SimInstrument, VenueEngine } from '../../engine/types.js';

/**
 * Bybit names a USDT linear perpetual base + settle coin (BTC-PERP margined in USDT is BTCUSDT). Built once from the
 * engine's instruments; unknown names are `undefined`, never a guess.
 */
export class BybitSymbols {
  private readonly byVenue = new Map<string, SimInstrument>();
  private readonly byCanonical = new Map<string, string>();

  constructor(instruments: readonly SimInstrument[]) {
    for (const inst of instruments) {
      const venueSymbol = `${inst.asset}${inst.quote}`.toUpperCase();
      this.byVenue.set(venueSymbol, inst);
      this.byCanonical.set(inst.symbol, venueSymbol);
    }
  }

  static of(engine: VenueEngine): BybitSymbols {
    return new BybitSymbols(engine.instruments());
  }

  /** The instrument behind a Bybit symbol (Bybit accepts upper case only). */
  instrument(venueSymbol: string): SimInstrument | undefined {
    return this.byVenue.get(venueSymbol);
  }

  toVenue(canonical: string): string {
    const v = this.byCanonical.get(canonical);
    if (v === undefined) throw new Error(`bybit façade: no venue symbol for ${canonical}`);
    return v;
  }

  instruments(): SimInstrument[] {
    return [...this.byVenue.values()];
  }
}
