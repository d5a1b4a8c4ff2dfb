import { D, ONE, dec, type Decimal } from '@perpetua/core';

const BPS_PER_UNIT = 10_000n;

/**
 * Exactly whether `distance` is more than `bps` basis points of `reference`:
 * distance / reference > bps / 10^4, compared as integers (both sides scaled by
 * 10^36) so a price exactly on the band never flips on a rounding.
 */
export function beyondBps(distance: Decimal, reference: Decimal, bps: number): boolean {
  return distance * BPS_PER_UNIT * ONE > reference * dec(bps);
}

/** distance / reference in bps, rounded up to 0.01 for details (display only). */
export function bpsText(distance: Decimal, reference: Decimal): string {
  const raw = D.div((distance * BPS_PER_UNIT) as Decimal, reference, 'up');
  return D.toText(D.roundToStep(raw, dec('0.01'), 'up'));
}
