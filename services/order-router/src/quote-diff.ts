import { dec, type WantedQuote } from '@perpetua/core';

/** A live order the router owns for one quote slot. */
export interface LiveSlotOrder {
  slot: string;
  clientOrderId: string;
  side: 'buy' | 'sell';
  price: string;
  qty: string;
  /** Whether it was placed post-only; absent = not known, which never amends (only keeps or replaces). */
  postOnly?: boolean;
}

/** A live order to change in place to a wanted quote of its slot (same side and post-only-ness). */
export interface QuoteAmend {
  order: LiveSlotOrder;
  to: WantedQuote;
}

export interface QuoteDiff {
  keep: LiveSlotOrder[];
  /** Empty unless the caller can amend (options.amend). */
  amend: QuoteAmend[];
  cancel: LiveSlotOrder[];
  place: WantedQuote[];
}

export interface DiffOptions {
  /** The venue amends in place: a slot whose order differs only in price and/or qty is amended, not replaced. */
  amend?: boolean;
}

/**
 * Pure: the fewest actions that make the resting orders equal the wanted set.
 * A slot whose order already matches is left alone; a slot whose order differs in
 * price and/or qty only is amended in place when the venue can; any other changed
 * slot is cancelled and placed again (the router places only after the cancel is
 * confirmed, so a slot never has two live orders). Every wanted slot ends up in
 * exactly one of keep, amend and place; no order is both amended and cancelled.
 */
export function diffQuotes(live: readonly LiveSlotOrder[], wanted: readonly WantedQuote[], options: DiffOptions = {}): QuoteDiff {
  const wantedBySlot = new Map(wanted.map((w) => [w.slot, w]));
  const keep: LiveSlotOrder[] = [];
  const amend: QuoteAmend[] = [];
  const cancel: LiveSlotOrder[] = [];
  const handled = new Set<string>();
  for (const order of live) {
    const w = wantedBySlot.get(order.slot);
    if (!w || handled.has(order.slot) || w.side !== order.side) {
      cancel.push(order);
      continue;
    }
    const samePostOnly = order.postOnly === undefined || order.postOnly === w.postOnly;
    if (samePostOnly && sameDecimal(w.price, order.price) && sameDecimal(w.qty, order.qty)) {
      keep.push(order);
      handled.add(order.slot);
    } else if (options.amend === true && order.postOnly !== undefined && samePostOnly) {
      amend.push({ order, to: w });
      handled.add(order.slot);
    } else cancel.push(order);
  }
  // Every slot is in `wanted` once (a later duplicate would win the map but be placed twice): placed once, by its map entry.
  const place = [...wantedBySlot.values()].filter((w) => !handled.has(w.slot));
  return { keep, amend, cancel, place };
}

/** Two decimal texts of one value ("100" and "100.0"). */
export function sameDecimal(a: string, b: string): boolean {
  return a === b || dec(a) === dec(b);
}
