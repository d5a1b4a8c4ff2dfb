import { z } from 'zod';

/** Canonical perp symbol used on every subject and message: BASE-PERP, e.g. BTC-PERP. */
export const CanonicalSymbol = z.string().regex(/^[A-Z0-9]{1,15}-PERP$/, 'expected a canonical symbol like BTC-PERP');
export type CanonicalSymbol = z.infer<typeof CanonicalSymbol>;

export const baseOf = (symbol: CanonicalSymbol): string => symbol.slice(0, -'-PERP'.length);
export const perpOf = (base: string): CanonicalSymbol => `${base.toUpperCase()}-PERP`;

/**
 * Two-way map between canonical symbols and one venue's names. Each adapter
 * builds one from its instrument list; unknown names are an error, not a guess.
 */
export class SymbolMap {
  private readonly toVenueMap = new Map<string, string>();
  private readonly toCanonicalMap = new Map<string, string>();

  constructor(
    readonly venue: string,
    pairs: Iterable<readonly [canonical: string, venueSymbol: string]> = [],
  ) {
    for (const [c, v] of pairs) this.add(c, v);
  }

  add(canonical: string, venueSymbol: string): void {
    CanonicalSymbol.parse(canonical);
    this.toVenueMap.set(canonical, venueSymbol);
    this.toCanonicalMap.set(venueSymbol, canonical);
  }

  toVenue(canonical: string): string {
    const v = this.toVenueMap.get(canonical);
    if (v === undefined) throw new Error(`${this.venue}: no venue symbol for ${canonical}`);
    return v;
  }

  toCanonical(venueSymbol: string): string {
    const c = this.toCanonicalMap.get(venueSymbol);
    if (c === undefined) throw new Error(`${this.venue}: unknown venue symbol ${venueSymbol}`);
    return c;
  }

  tryCanonical(venueSymbol: string): string | undefined {
    return this.toCanonicalMap.get(venueSymbol);
  }

  canonicals(): string[] {
    return [...this.toVenueMap.keys()];
  }
}
