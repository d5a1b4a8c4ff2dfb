/** GRVT names perps BASE_QUOTE_Perp (BTC_USDT_Perp); ours are BASE-PERP. */
const GRVT_PERP = /^([A-Z0-9]{1,15})_([A-Z0-9]{1,15})_Perp$/;

export const isGrvtPerp = (venueSymbol: string): boolean => GRVT_PERP.test(venueSymbol);

/** BTC_USDT_Perp -> BTC-PERP; throws for a name that is not a GRVT perp. */
export function grvtToCanonical(venueSymbol: string): string {
  const m = GRVT_PERP.exec(venueSymbol);
  if (!m) throw new Error(`not a GRVT perpetual: ${venueSymbol}`);
  return `${m[1]}-PERP`;
}

/** BTC-PERP -> BTC_USDT_Perp (GRVT's perps are all USDT-quoted). */
export function canonicalToGrvt(symbol: string, quote = 'USDT'): string {
  if (!/^[A-Z0-9]{1,15}-PERP$/.test(symbol)) throw new Error(`not a canonical perp symbol: ${symbol}`);
  return `${symbol.slice(0, -'-PERP'.length)}_${quote}_Perp`;
}
