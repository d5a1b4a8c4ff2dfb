import { D, type Decimal, type Side } from '@perpetua/core';

/** Where an episode stands: what was bought and sold so far, and which repairs were tried. */
export interface HedgeState {
  buyVenue: string;
  sellVenue: string;
  bought: Decimal;
  sold: Decimal;
  completeTried: boolean;
  unwindTries: number;
}

export interface HedgeParams {
  /** Net base quantity that counts as flat. */
  tolerance: Decimal;
  /** Unwind attempts before giving up. */
  maxUnwindTries: number;
}

export type HedgeStep =
  | { kind: 'flat'; residual: Decimal }
  | { kind: 'complete' | 'unwind'; venue: string; side: Side; qty: Decimal; residual: Decimal }
  | { kind: 'give_up'; residual: Decimal };

/**
 * The one-legged rule, "complete, then unwind": when one leg filled more than the
 * other (residual = bought − sold beyond the tolerance), first try once to trade the
 * missing quantity on the short leg's own venue — the opportunity may still be
 * there; whatever is still open after that is traded back on the venue that filled
 * more, up to maxUnwindTries times; then give up and report the exposure.
 */
export function nextHedgeStep(s: HedgeState, p: HedgeParams): HedgeStep {
  const residual = D.sub(s.bought, s.sold);
  const size = D.abs(residual);
  if (size <= p.tolerance) return { kind: 'flat', residual };
  const long = residual > 0n; // bought more: sell the excess
  if (!s.completeTried) return { kind: 'complete', venue: long ? s.sellVenue : s.buyVenue, side: long ? 'sell' : 'buy', qty: size, residual };
  if (s.unwindTries < p.maxUnwindTries) return { kind: 'unwind', venue: long ? s.buyVenue : s.sellVenue, side: long ? 'sell' : 'buy', qty: size, residual };
  return { kind: 'give_up', residual };
}
