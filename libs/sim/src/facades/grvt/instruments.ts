/**
 * GRVT instrument naming and metadata: canonical `BTC-PERP` <-> `BTC_USDT_Perp`, the `instrument_hash` signed as a
 * leg's assetID, and the decimals used to scale signed sizes.
 */
import type { SimInstrument, VenueEngine } from '../../engine/types.js';

/** GRVT currency ids (pysdk GrvtCurrency); the instrument hash packs quote, base and kind. */
const CURRENCY_IDS: Readonly<Record<string, number>> = { USD: 1, USDC: 2, USDT: 3, ETH: 4, BTC: 5 };
/** Kind byte of a perpetual in the instrument hash. */
const KIND_PERPETUAL = 1;
/** GRVT lists BTC/ETH perps with 9 base and quote decimals (the SDK's signing vectors use the same). */
export const GRVT_BASE_DECIMALS = 9;
export const GRVT_QUOTE_DECIMALS = 9;

export interface GrvtInstrument {
  /** GRVT name, e.g. 'BTC_USDT_Perp'. */
  name: string;
  /** Canonical symbol, e.g. 'BTC-PERP'. */
  symbol: string;
  /** e.g. '0x030501': quote id, base id, kind (1 = perpetual), one byte each. */
  hash: string;
  baseDecimals: number;
  quoteDecimals: number;
  /** Position in the venue's instrument list (1-based), used to make trade ids unique across instruments. */
  ordinal: number;
  sim: SimInstrument;
}

export const grvtName = (inst: Pick<SimInstrument, 'asset' | 'quote'>): string => `${inst.asset}_${inst.quote}_Perp`;

const byte = (n: number): string => n.toString(16).padStart(2, '0');

export class GrvtInstruments {
  private readonly byName = new Map<string, GrvtInstrument>();
  private readonly bySymbol = new Map<string, GrvtInstrument>();

  constructor(engine: VenueEngine) {
    // Assets without a GRVT currency id get stable ids past the known ones, in listing order.
    let nextId = 0x40;
    engine.instruments().forEach((sim, i) => {
      const baseId = CURRENCY_IDS[sim.asset] ?? nextId++;
      const quoteId = CURRENCY_IDS[sim.quote] ?? CURRENCY_IDS.USDT!;
      const inst: GrvtInstrument = {
        name: grvtName(sim),
        symbol: sim.symbol,
        hash: `0x${byte(quoteId)}${byte(baseId)}${byte(KIND_PERPETUAL)}`,
        baseDecimals: GRVT_BASE_DECIMALS,
        quoteDecimals: GRVT_QUOTE_DECIMALS,
        ordinal: i + 1,
        sim,
      };
      this.byName.set(inst.name, inst);
      this.bySymbol.set(inst.symbol, inst);
    });
  }

  all(): GrvtInstrument[] {
    return [...this.byName.values()];
  }

  byGrvtName(name: string): GrvtInstrument | undefined {
    return this.byName.get(name);
  }

  byCanonical(symbol: string): GrvtInstrument | undefined {
    return this.bySymbol.get(symbol);
  }
}
