/** StandX names perps BASE-USD (BTC-USD); ours are BASE-PERP. */
export const standxToCanonical = (venueSymbol: string): string => `${venueSymbol.replace(/-USD$/, '')}-PERP`;
export const canonicalToStandx = (symbol: string): string => `${symbol.replace(/-PERP$/, '')}-USD`;
