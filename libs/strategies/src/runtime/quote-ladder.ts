import { CachedSnapper, D, dec, notional, toText, trySnapQty, type Decimal, type Instrument, type Side, type WantedQuote } from '@perpetua/core';
import type { LevelZero, QuoteSide } from '../model/pricing-model.js';
import type { HygieneParams } from './hygiene-params.js';

export interface LadderInput {
  levelZero: LevelZero;
  hygiene: Pick<HygieneParams, 'order_levels' | 'order_level_spread' | 'order_level_amount' | 'minimum_spread'>;
  instrument: Instrument;
  /** The instrument's snapper (kept by the caller across calls, so each tick's text is made once). */
  snapper?: CachedSnapper;
  /** Signed position, exact. */
  position: Decimal;
  maxPosition: Decimal;
  mid: number;
  bestBid: number;
  bestAsk: number;
  /** Sides not quoted now (a fill's cool-down). */
  sidesOff: ReadonlySet<Side>;
  /** Slot name of each side's level (a replaced-for-age slot gets a new name). */
  slotName: (side: Side, level: number) => string;
}

/**
 * The model's level-0 quotes expanded into levels, snapped at the edge (prices
 * passive, sizes floored to the lot), kept off the other side of the book,
 * outside the minimum spread, above the venue's minimum size and notional, and
 * capped so that even if every quote of a side filled, |position| would not
 * pass maxPosition (or, if it already does, would not grow).
 */
export function quoteLadder(input: LadderInput): WantedQuote[] {
  const out: WantedQuote[] = [];
  const { levelZero } = input;
  if (levelZero.bid && !input.sidesOff.has('buy')) out.push(...side(input, 'buy', levelZero.bid));
  if (levelZero.ask && !input.sidesOff.has('sell')) out.push(...side(input, 'sell', levelZero.ask));
  return out;
}

function side(input: LadderInput, s: Side, zero: QuoteSide): WantedQuote[] {
  const { instrument, hygiene } = input;
  const snap = input.snapper ?? new CachedSnapper(instrument);
  if (!(zero.price > 0) || !Number.isFinite(zero.price) || !(zero.size > 0) || !Number.isFinite(zero.size)) return [];
  const tick = Number(instrument.tickSize);
  // Room left on this side: how far the position may move this way before |position| passes the limit.
  const pos = input.position;
  let room = s === 'buy' ? D.sub(input.maxPosition, pos) : D.add(input.maxPosition, pos);
  const out: WantedQuote[] = [];
  for (let i = 0; i < hygiene.order_levels; i++) {
    if (room <= 0n) break;
    const away = (i * hygiene.order_level_spread) / 10_000;
    let raw = s === 'buy' ? zero.price * (1 - away) : zero.price * (1 + away);
    // A model's band (maker-yield): an outer level stops at its edge rather than leaving the band.
    if (zero.limit !== undefined) raw = s === 'buy' ? Math.max(raw, zero.limit) : Math.min(raw, zero.limit);
    // Never through the book: a post-only quote there is refused by the venue.
    if (s === 'buy' && input.bestAsk > 0 && raw >= input.bestAsk) raw = input.bestAsk - tick;
    if (s === 'sell' && input.bestBid > 0 && raw <= input.bestBid) raw = input.bestBid + tick;
    if (!(raw > 0)) continue;
    const price = snap.passivePrice(s, raw);
    const p = price.num;
    if (hygiene.minimum_spread > 0 && input.mid > 0 && (Math.abs(p - input.mid) / input.mid) * 10_000 < hygiene.minimum_spread) continue;
    const size = zero.size + i * hygiene.order_level_amount;
    const wanted = snap.qty(size);
    if (wanted === null) continue;
    // Already on the lot and above the minimum: it stands unless the room left is smaller.
    const cappedText = wanted.value <= room ? wanted.text : trySnapQty(instrument, toText(room));
    if (cappedText === null) break;
    const capped = cappedText === wanted.text ? wanted.value : dec(cappedText);
    if (instrument.minNotional !== undefined && notional(price.value, capped) < dec(instrument.minNotional)) continue;
    room = D.sub(room, capped);
    out.push({ slot: input.slotName(s, i), side: s, price: price.text, qty: cappedText, postOnly: true });
  }
  return out;
}
