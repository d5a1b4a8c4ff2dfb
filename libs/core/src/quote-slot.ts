/**
 * A quote slot's two names (`bid-0` and `bid-0-r`): a quote that moves with make_before_break, or an order
 * replaced for its age, takes the slot's other name, so the router places it beside the order it replaces.
 * Strategies choose the name; risk reads it to recognise a move of the same slot.
 */
const TWIN = '-r';

/** The slot's base name (`bid-0` for both `bid-0` and `bid-0-r`). */
export function baseSlot(slot: string): string {
  return slot.endsWith(TWIN) ? slot.slice(0, -TWIN.length) : slot;
}

/** The base name's twin (`bid-0-r`). */
export function twinSlot(base: string): string {
  return `${base}${TWIN}`;
}
