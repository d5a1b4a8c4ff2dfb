import { D, dec, toText, trySnapQty, type Decimal, type Instrument, type Side, type WantedQuote } from '@perpetua/core';
import type { RestingOrder } from './resting-orders.js';

export interface ReplacementRoomInput {
  /** The set about to be published (after make_before_break), levels nearest the touch first per side. */
  wanted: readonly WantedQuote[];
  /** Our orders the venue confirmed resting. */
  resting: readonly RestingOrder[];
  position: Decimal;
  maxPosition: Decimal;
  instrument: Pick<Instrument, 'lotSize' | 'minQty'>;
}

/**
 * Sizes new quotes to what risk will approve. Risk counts every resting order until the venue confirms its
 * cancel, so a quote that replaces one (a new price, in its slot or its make-before-break twin) is counted on top
 * of it: position + everything resting on the side + every new quote must stay within maxPosition. A wanted quote
 * identical to the order resting in its slot is that order and takes no room. A new quote larger than the room
 * left is cut to it (snapped down to the lot); with no room it is left out, so the router cancels the slot's old
 * order and the next set has that room. Without this, risk refuses the move near the limit and the side keeps a
 * stale order (or none) until the position changes.
 */
export function fitToReplacementRoom(input: ReplacementRoomInput): WantedQuote[] {
  const room: Record<Side, Decimal> = { buy: roomFor('buy', input), sell: roomFor('sell', input) };
  const out: WantedQuote[] = [];
  for (const q of input.wanted) {
    const rests = input.resting.find((o) => o.slot === q.slot);
    if (rests && rests.side === q.side && sameDecimal(rests.price, q.price) && sameDecimal(rests.qty, q.qty)) {
      out.push(q);
      continue;
    }
    const left = room[q.side];
    const qty = dec(q.qty);
    if (qty <= left) {
      room[q.side] = D.sub(left, qty);
      out.push(q);
      continue;
    }
    const cut = left > 0n ? trySnapQty(input.instrument, toText(left)) : null;
    if (cut === null) continue;
    room[q.side] = D.sub(left, dec(cut));
    out.push({ ...q, qty: cut });
  }
  return out;
}

function roomFor(side: Side, input: ReplacementRoomInput): Decimal {
  let resting = D.ZERO;
  for (const o of input.resting) if (o.side === side) resting = D.add(resting, dec(o.qty));
  const toward = side === 'buy' ? input.position : D.neg(input.position);
  return D.sub(D.sub(input.maxPosition, toward), resting);
}

function sameDecimal(a: string, b: string): boolean {
  return a === b || dec(a) === dec(b);
}
