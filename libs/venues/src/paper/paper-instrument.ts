import { Instrument, baseOf } from '@perpetua/core';

export interface PaperInstrumentParams {
  venue: string;
  symbol: string;
  tickSize: string;
  lotSize: string;
  makerFee: number;
  takerFee: number;
}

/** The paper venue's instruments: venue symbol = canonical symbol. */
export function paperInstrument(p: PaperInstrumentParams): Instrument {
  return Instrument.parse({
    venue: p.venue,
    symbol: p.symbol,
    venueSymbol: p.symbol,
    base: baseOf(p.symbol),
    quote: 'USD',
    tickSize: p.tickSize,
    lotSize: p.lotSize,
    minQty: p.lotSize,
    contractSize: '1',
    makerFee: p.makerFee,
    takerFee: p.takerFee,
  });
}
