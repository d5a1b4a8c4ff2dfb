import { D, dec, type PositionDifference } from '@perpetua/core';
import type { Position } from '@perpetua/state';
import type { VenuePosition } from '@perpetua/venues';

/**
 * Pure: the symbols whose signed quantity on the venue differs from the store's
 * for one venue account. A symbol missing on either side counts as flat.
 */
export function positionDifferences(venue: readonly VenuePosition[], store: readonly Position[], venueName: string, account: string): PositionDifference[] {
  const venueQty = new Map(venue.map((p) => [p.symbol, dec(p.qty)]));
  const storeQty = new Map(store.filter((p) => p.venue === venueName && p.account === account).map((p) => [p.symbol, dec(p.qty)]));
  const out: PositionDifference[] = [];
  for (const symbol of [...new Set([...venueQty.keys(), ...storeQty.keys()])].sort()) {
    const v = venueQty.get(symbol) ?? D.ZERO;
    const s = storeQty.get(symbol) ?? D.ZERO;
    if (v !== s) out.push({ symbol, venueQty: D.toText(v), storeQty: D.toText(s) });
  }
  return out;
}
