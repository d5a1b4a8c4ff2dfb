import { D, baseSlot, dec, toText, trySnapQty, twinSlot, type Decimal, type Instrument, type Side, type WantedQuote } from '@perpetua/core';
import type { RestingOrder } from './resting-orders.js';

export interface ReplacementRoomInput {
  /** The set about to be published (after make_before_break), levels nearest the touch first per side. */
  wanted: readonly WantedQuote[];
  /** Our orders the venue confirmed resting. */
  resting: readonly RestingOrder[];
  /**
   * Quotes published earlier that the venue has not confirmed yet (nor closed): risk counts an approval until the
   * venue answers for its slot, so they take room as resting orders do, except that a new quote in the same slot
   * covers it (the router works a slot's sets in order: of the two, at most the larger can fill).
   */
  pending?: readonly Pick<WantedQuote, 'slot' | 'side' | 'price' | 'qty'>[];
  position: Decimal;
  /**
   * Where the position may stand as risk sees it while fills are on their way (risk books a fill after the
   * strategy hears of it; the venue's order event often comes before the fill message): each side's room is
   * taken from the end of the range that leaves it less. Absent: `position` alone.
   */
  positionRange?: { low: Decimal; high: Decimal };
  maxPosition: Decimal;
  instrument: Pick<Instrument, 'lotSize' | 'minQty'>;
}

/**
 * Sizes new quotes to what risk will approve. Risk counts every resting order until the venue confirms its
 * cancel, so a quote that replaces one (a new price, in its slot or its make-before-break twin) is counted on top
 * of it: position + everything resting or still on its way on the side + every new quote must stay within
 * maxPosition. A wanted quote identical to the order resting (or on its way) in its slot is that order and takes no room. A new quote larger than the room
 * left is cut to it (snapped down to the lot); with no room, the order it would replace (in its slot or the twin)
 * is asked as it rests, so the side keeps it, or, with none, the quote is left out. Without this, risk refuses
 * the move near the limit and the side keeps a stale order (or none) until the position changes.
 */
export function fitToReplacementRoom(input: ReplacementRoomInput): WantedQuote[] {
  const live = input.pending ? [...input.resting, ...input.pending] : input.resting;
  const room: Record<Side, Decimal> = { buy: roomFor('buy', live, input), sell: roomFor('sell', live, input) };
  const out: WantedQuote[] = [];
  for (const q of input.wanted) {
    if (live.some((o) => o.slot === q.slot && o.side === q.side && sameDecimal(o.price, q.price) && sameDecimal(o.qty, q.qty))) {
      out.push(q);
      continue;
    }
    const covered = coveredBy(q, input.pending);
    const left = D.add(room[q.side], covered);
    const qty = dec(q.qty);
    if (qty <= left) {
      room[q.side] = D.sub(left, D.max(qty, covered));
      out.push(q);
      continue;
    }
    const cut = left > 0n ? trySnapQty(input.instrument, toText(left)) : null;
    if (cut === null) {
      // No room for the move: the order it would replace rests on as it is (counted already), rather than the
      // slot going empty, while the side's worst case is within the limit.
      const keep = room[q.side] >= 0n ? keptInstead(q, input, out) : undefined;
      if (keep) out.push(keep);
      continue;
    }
    room[q.side] = D.sub(left, D.max(dec(cut), covered));
    out.push({ ...q, qty: cut });
  }
  return out;
}

/** The resting order of the quote's slot (or its make-before-break twin) that no quote of the set already takes. */
function keptInstead(q: WantedQuote, input: ReplacementRoomInput, out: readonly WantedQuote[]): WantedQuote | undefined {
  const base = baseSlot(q.slot);
  const o = input.resting.find(
    (r) => r.side === q.side && (r.slot === base || r.slot === twinSlot(base)) && !out.some((w) => w.slot === r.slot) && !input.wanted.some((w) => w !== q && w.slot === r.slot),
  );
  return o ? { slot: o.slot, side: o.side, price: o.price, qty: o.orderQty, postOnly: q.postOnly } : undefined;
}

/** The size of the still unconfirmed quote asked for in this quote's slot and side, which it replaces. */
function coveredBy(q: WantedQuote, pending: ReplacementRoomInput['pending']): Decimal {
  const p = pending?.find((o) => o.slot === q.slot && o.side === q.side);
  return p ? dec(p.qty) : D.ZERO;
}

function roomFor(side: Side, live: readonly Pick<WantedQuote, 'side' | 'qty'>[], input: ReplacementRoomInput): Decimal {
  let resting = D.ZERO;
  for (const o of live) if (o.side === side) resting = D.add(resting, dec(o.qty));
  const r = input.positionRange;
  const toward = side === 'buy' ? (r ? D.max(input.position, r.high) : input.position) : D.neg(r ? D.min(input.position, r.low) : input.position);
  return D.sub(D.sub(input.maxPosition, toward), resting);
}

function sameDecimal(a: string, b: string): boolean {
  return a === b || dec(a) === dec(b);
}
