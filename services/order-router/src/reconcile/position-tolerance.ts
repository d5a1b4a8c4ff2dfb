import { D, dec, type Decimal, type PositionDifference } from '@perpetua/core';

/** A symbol whose venue and booked positions differ by more than the account's tolerance. */
export interface PositionBreach extends PositionDifference {
  /** |venueQty - storeQty|, decimal text. */
  difference: string;
}

/** |venueQty - storeQty| of one difference. */
export function positionGap(d: PositionDifference): Decimal {
  return D.abs(D.sub(dec(d.venueQty), dec(d.storeQty)));
}

/**
 * Pure: the differences beyond the tolerance (base units, the same for every symbol of the account). A difference
 * equal to the tolerance is within it. With no tolerance configured nothing is a breach: the check is off.
 */
export function positionBreaches(diffs: readonly PositionDifference[], tolerance: string | undefined): PositionBreach[] {
  if (tolerance === undefined) return [];
  const limit = dec(tolerance);
  const out: PositionBreach[] = [];
  for (const d of diffs) {
    const gap = positionGap(d);
    if (gap > limit) out.push({ ...d, difference: D.toText(gap) });
  }
  return out;
}

/** The halt's reason as risk.state shows it: every breaching symbol with both quantities. */
export function breachReason(breaches: readonly PositionBreach[], tolerance: string): string {
  const each = breaches.map((b) => `${b.symbol} venue ${b.venueQty} vs booked ${b.storeQty} (off by ${b.difference})`).join('; ');
  return `position difference beyond tolerance ${tolerance}: ${each}`.slice(0, 500);
}
