import { D, baseSlot, dec, twinSlot, type Decimal, type Side, type WantedQuote } from '@perpetua/core';
import type { RestingOrder } from './resting-orders.js';

export interface BeforeBreakInput {
  wanted: readonly WantedQuote[];
  /** The set published last, by slot. */
  published: ReadonlyMap<string, WantedQuote> | undefined;
  /** Every order of ours resting now (confirmed by the venue). */
  resting: readonly RestingOrder[];
  /** Quotes published and not yet confirmed nor closed: the router may be placing them now. */
  pending?: readonly Pick<WantedQuote, 'slot' | 'side' | 'qty'>[];
  /** Base slot names currently using their `-r` twin. */
  renamed: ReadonlySet<string>;
  position: Decimal;
  maxPosition: Decimal;
}

/**
 * make_before_break: a quote that moves (price or size) from a resting order (or from one still on its way, which the router may
 * be placing) takes the slot's other name, so the router places it beside the old order and cancels that one
 * after, never leaving the side empty. Until the venue confirms the
 * cancel both rest, and risk counts both as if they filled. So a side moves this way only while the worst case
 * (position, plus every quote of the new set on that side, plus every resting order of that side the new set
 * does not reuse, all filled) stays within maxPosition; otherwise its quotes keep their slots and replace in place
 * (a short gap on that side rather than a set risk refuses whole).
 */
export function planBeforeBreak(input: BeforeBreakInput): { quotes: WantedQuote[]; renamed: Set<string> } {
  const renamed = new Set(input.renamed);
  const moved = input.wanted.map((q) => {
    const asked = input.published?.get(q.slot);
    // An order resting in the slot, or one the router may be placing there: replaced in place, the side would gap.
    const restingHere = input.resting.some((o) => o.slot === q.slot) || (input.pending ?? []).some((o) => o.slot === q.slot);
    // A new size replaces the order as a new price does: through the twin too.
    if (!asked || (asked.price === q.price && asked.qty === q.qty) || !restingHere) return q;
    const base = baseSlot(q.slot);
    return { ...q, slot: renamed.has(base) ? base : twinSlot(base) };
  });
  const fits = (side: Side): boolean => {
    const slots = new Set(moved.map((q) => q.slot));
    let worst = D.ZERO;
    for (const q of moved) if (q.side === side) worst = D.add(worst, dec(q.qty));
    for (const o of [...input.resting, ...(input.pending ?? [])]) if (o.side === side && !slots.has(o.slot)) worst = D.add(worst, dec(o.qty));
    const toward = side === 'buy' ? D.add(input.position, worst) : D.sub(D.ZERO, D.sub(input.position, worst));
    return toward <= input.maxPosition;
  };
  const ok: Record<Side, boolean> = { buy: fits('buy'), sell: fits('sell') };
  const quotes = input.wanted.map((q, i) => {
    const m = moved[i]!;
    if (m.slot === q.slot || !ok[q.side]) return q;
    const base = baseSlot(q.slot);
    if (renamed.has(base)) renamed.delete(base);
    else renamed.add(base);
    return m;
  });
  for (const side of ['buy', 'sell'] as const) if (!ok[side]) staggerInPlace(side, input, moved, quotes);
  return { quotes, renamed };
}

/**
 * A side that cannot move through the twins replaces in place, and an order replaced in place leaves its slot
 * empty until the new one rests. So the side's moves go one at a time: all of them while another order of the
 * side rests untouched by the set; else one, and none while an order of the side is still on its way (it may
 * be the side's only order soon). The others keep the quote asked before (their order rests on; the model's
 * veto asks again on the next event).
 */
function staggerInPlace(side: Side, input: BeforeBreakInput, moved: readonly WantedQuote[], quotes: WantedQuote[]): void {
  const inPlace = (i: number) => quotes[i]!.side === side && moved[i]!.slot !== quotes[i]!.slot;
  const anchored = quotes.some((q, i) => q.side === side && !inPlace(i) && input.resting.some((o) => o.slot === q.slot && dec(o.price) === dec(q.price)));
  if (anchored) return;
  let allowed = (input.pending ?? []).some((o) => o.side === side) ? 0 : 1;
  for (let i = 0; i < quotes.length; i++) {
    if (!inPlace(i)) continue;
    if (allowed > 0) {
      allowed--;
      continue;
    }
    quotes[i] = input.published!.get(quotes[i]!.slot)!;
  }
}
