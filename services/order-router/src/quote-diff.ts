import { dec, type WantedQuote } from '@perpetua/core';

/** A live order the router owns for one quote slot. */
export interface LiveSlotOrder {
  slot: string;
  clientOrderId: string;
  side: 'buy' | 'sell';
  price: string;
  qty: string;
}

export interface QuoteDiff {
  keep: LiveSlotOrder[];
  cancel: LiveSlotOrder[];
  place: WantedQuote[];
}

/**
 * Pure: the fewest actions that make the resting orders equal the wanted set.
 * A slot whose order already matches is left alone; a changed slot is cancelled
 * and placed again (the router places only after the cancel is confirmed, so a
 * slot never has two live orders).
 */
export function diffQuotes(live: readonly LiveSlotOrder[], wanted: readonly WantedQuote[]): QuoteDiff {
  const wantedBySlot = new Map(wanted.map((w) => [w.slot, w]));
  const keep: LiveSlotOrder[] = [];
  const cancel: LiveSlotOrder[] = [];
  const keptSlots = new Set<string>();
  for (const order of live) {
    const w = wantedBySlot.get(order.slot);
    if (w && !keptSlots.has(order.slot) && w.side === order.side && sameDecimal(w.price, order.price) && sameDecimal(w.qty, order.qty)) {
      keep.push(order);
      keptSlots.add(order.slot);
    } else cancel.push(order);
  }
  const place = wanted.filter((w) => !keptSlots.has(w.slot));
  return { keep, cancel, place };
}

function sameDecimal(a: string, b: string): boolean {
  return a === b || dec(a) === dec(b);
}
