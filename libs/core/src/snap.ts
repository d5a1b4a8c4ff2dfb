import { type Decimal, dec, roundToStep, toText, DecimalError } from './decimal.js';
import type { Instrument } from './instrument.js';
import type { Side } from './messages/side.js';

/**
 * The one place where prices and sizes meet the instrument's tick and lot.
 * Everything that leaves for a venue passes through here.
 */
export type PriceRounding = 'passive' | 'aggressive' | 'nearest';

export class SnapError extends DecimalError {
  override name = 'SnapError';
}

/**
 * Snaps a price to the tick. 'passive' rounds away from the market (buy down,
 * sell up) so a quote never becomes more aggressive than the strategy asked.
 */
export function snapPrice(inst: Pick<Instrument, 'tickSize'>, side: Side, price: number | string, rounding: PriceRounding = 'passive'): string {
  const p = dec(price);
  if (p <= 0n) throw new SnapError(`price must be positive, got ${price}`);
  const tick = dec(inst.tickSize);
  const mode =
    rounding === 'nearest' ? 'half-even' : (rounding === 'passive') === (side === 'buy') ? 'floor' : 'ceil';
  const snapped = roundToStep(p, tick, mode);
  if (snapped <= 0n) throw new SnapError(`price ${price} rounds to zero at tick ${inst.tickSize}`);
  return toText(snapped);
}

/** Snaps a size down to the lot (never trade more than asked); below the minimum is an error. */
export function snapQty(inst: Pick<Instrument, 'lotSize' | 'minQty'>, qty: number | string): string {
  const q = dec(qty);
  if (q <= 0n) throw new SnapError(`size must be positive, got ${qty}`);
  const snapped = roundToStep(q, dec(inst.lotSize), 'floor');
  if (snapped < dec(inst.minQty)) throw new SnapError(`size ${qty} is below the minimum ${inst.minQty}`);
  return toText(snapped);
}

/** Same as snapQty, but returns null instead of throwing when the size is below the minimum. */
export function trySnapQty(inst: Pick<Instrument, 'lotSize' | 'minQty'>, qty: number | string): string | null {
  try {
    return snapQty(inst, qty);
  } catch (err) {
    if (err instanceof DecimalError) return null;
    throw err;
  }
}

export function notional(price: Decimal, qty: Decimal): Decimal {
  return ((price * qty) / 10n ** 18n) as Decimal;
}
