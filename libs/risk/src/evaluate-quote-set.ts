import { D, ZERO, baseSlot, dec, toText, twinSlot, type Decimal, type WantedQuote } from '@perpetua/core';
import type { RiskLimits } from './risk-limits.js';
import type { LiveOrder } from './order-exposure-cache.js';
import { checkHalted } from './rules/halted.js';
import { checkMaxOpenOrders } from './rules/max-open-orders.js';
import { checkMaxOrderNotional } from './rules/max-order-notional.js';
import { checkMaxOrderSize } from './rules/max-order-size.js';
import { checkMaxPositionNotional } from './rules/max-position-notional.js';
import { checkMaxPosition } from './rules/max-position.js';
import { checkMaxTotalNotional } from './rules/max-total-notional.js';
import { checkOrderRate } from './rules/order-rate.js';
import { checkPriceFromMark } from './rules/price-from-mark.js';
import { checkPriceThroughBook } from './rules/price-through-book.js';
import { checkSelfTrade } from './rules/self-trade.js';
import { checkStaleData } from './rules/stale-data.js';
import type { Candidate, Projection, QuoteCheck, QuoteReject, QuoteSetContext, QuoteSetDecision, RiskRule, SetCheck } from './rules/types.js';

/** Rules over the whole set, in order; the first that fires refuses every quote. */
const SET_RULES: readonly (readonly [RiskRule, SetCheck])[] = [
  ['halted', checkHalted],
  ['stale_data', checkStaleData],
];

/**
 * Per-quote rules, in order; the first that fires refuses the quote. The last
 * two are set-level budgets (open orders, order rate) spent closest to the
 * touch first, which is why they run per quote after everything else.
 */
const QUOTE_RULES: readonly (readonly [RiskRule, QuoteCheck])[] = [
  ['max_order_size', checkMaxOrderSize],
  ['max_order_notional', checkMaxOrderNotional],
  ['price_through_book', checkPriceThroughBook],
  ['price_from_mark', checkPriceFromMark],
  ['self_trade', checkSelfTrade],
  ['max_position', checkMaxPosition],
  ['max_position_notional', checkMaxPositionNotional],
  ['max_total_notional', checkMaxTotalNotional],
  ['max_open_orders', checkMaxOpenOrders],
  ['order_rate', checkOrderRate],
];

export interface EvaluatedQuoteSet extends QuoteSetDecision {
  /** New placements the approved set needs; pass to OrderRateWindow.tryTake. */
  placements: number;
  /**
   * The strategy's resting orders that stay as they are in place of refused moves (keptInstead): sent to the
   * router with the approved quotes so it does not cancel them. Not approvals: they rest already.
   */
  keep: WantedQuote[];
}

/**
 * Judges a wanted quote set against every limit, purely. Quotes are taken
 * closest to the touch first, alternating sides (bid-0, ask-0, bid-1, …), so
 * when a budget binds the most useful quotes on both sides survive. Worst case
 * counts: every approved buy is assumed to fill together (and every sell).
 * Every input quote ends up either approved or rejected, exactly once.
 */
export function evaluateQuoteSet(ctx: QuoteSetContext, limits: RiskLimits): EvaluatedQuoteSet {
  for (const [rule, check] of SET_RULES) {
    const detail = check(ctx, limits);
    if (detail !== undefined) return { approved: [], rejects: ctx.quotes.map((q) => ({ slot: q.slot, rule, detail })), placements: 0, keep: [] };
  }

  const otherNotional = (ctx.otherPositions ?? []).reduce<Decimal>((sum, o) => D.add(sum, D.mul(D.abs(o.position), o.mark)), ZERO);
  const mark = ctx.market?.mark !== undefined && ctx.market.mark > 0n ? ctx.market.mark : undefined;
  const candidates = touchOrder(ctx.quotes);
  const { committed, kept, covered } = splitLive(ctx, candidates);
  const approved: Candidate[] = [];
  const rejects: QuoteReject[] = [];
  // Worst case: everything resting or in flight fills, then every approved quote of the side.
  let worstLong = ctx.position;
  let worstShort = ctx.position;
  let buyFills = ZERO; // Σ qty × price of committed orders and approved buys
  let sellFills = ZERO;
  for (const o of committed) {
    const notional = D.mul(o.qty, o.price ?? mark ?? ZERO);
    if (o.side === 'buy') {
      worstLong = D.add(worstLong, o.qty);
      buyFills = D.add(buyFills, notional);
    } else {
      worstShort = D.sub(worstShort, o.qty);
      sellFills = D.add(sellFills, notional);
    }
  }
  // Open orders: one per slot of a quote book (the router keeps one live order per slot), one each otherwise.
  const own = (slot: string) => `${ctx.strategy ?? ''}\u0000${slot}`;
  const slots = new Set(committed.flatMap((o) => (o.strategy !== undefined && o.slot !== undefined ? [`${o.strategy}\u0000${o.slot}`] : [])));
  const unslotted = ctx.live ? committed.filter((o) => (o.strategy === undefined || o.slot === undefined) && !o.reserve).length : (ctx.otherQuotes?.length ?? 0);
  let placements = 0;

  for (const c of candidates) {
    const buy = c.quote.side === 'buy';
    // The held position is valued at mark; without one, at this quote's price.
    const held = D.mul(ctx.position, mark ?? c.price);
    // What this quote adds to the worst case: beyond the unconfirmed approval it replaces in its slot, if any.
    const adds = D.sub(c.qty, D.min(c.qty, covered.get(c) ?? ZERO));
    const fill = D.mul(adds, c.price);
    const longNow = D.abs(D.add(held, buyFills));
    const shortNow = D.abs(D.sub(held, sellFills));
    const sideNow = buy ? longNow : shortNow;
    const sideNext = buy ? D.abs(D.add(held, D.add(buyFills, fill))) : D.abs(D.sub(held, D.add(sellFills, fill)));
    const otherSide = buy ? shortNow : longNow;
    const placement = ctx.live ? !kept.has(c) : isPlacement(c, ctx.previous);
    const p: Projection = {
      approved,
      position: buy ? { before: worstLong, after: D.add(worstLong, adds) } : { before: worstShort, after: D.sub(worstShort, adds) },
      notional: { before: sideNow, after: sideNext },
      totalNotional: { before: D.add(otherNotional, D.max(sideNow, otherSide)), after: D.add(otherNotional, D.max(sideNext, otherSide)) },
      openOrdersAfter: unslotted + (ctx.live ? slots.size + (slots.has(own(c.quote.slot)) ? 0 : 1) : approved.length + 1),
      placement,
      placementsAfter: placements + (placement ? 1 : 0),
    };
    const fired = firstFired(c, p, ctx, limits);
    // A refused quote that already rests still counts: it is gone only once the venue confirms its cancel.
    if (fired) rejects.push({ slot: c.quote.slot, ...fired });
    if (fired && !kept.has(c)) continue;
    if (!fired) {
      approved.push(c);
      placements = p.placementsAfter;
    }
    if (ctx.live) slots.add(own(c.quote.slot));
    if (buy) {
      worstLong = p.position.after;
      buyFills = D.add(buyFills, fill);
    } else {
      worstShort = p.position.after;
      sellFills = D.add(sellFills, fill);
    }
  }
  return { approved: approved.map((c) => c.quote), rejects, placements, keep: keptInstead(ctx, limits, rejects, candidates, approved, { buy: worstLong, sell: worstShort }) };
}


/**
 * A refused move keeps what rests: when a quote that would replace the strategy's own resting order (in its slot,
 * or in the slot's make-before-break twin `<slot>-r`) is refused by max_position, the resting order stays in the
 * approved set as it is. Left out, the router would cancel it and leave the side empty, although it is already
 * counted in the worst case. Only orders the venue confirmed resting are kept, and only while the side's worst case
 * (position, everything live, every approved quote) is within maxPosition: an order that itself takes the worst
 * case past the limit goes.
 */
function keptInstead(
  ctx: QuoteSetContext,
  limits: RiskLimits,
  rejects: readonly QuoteReject[],
  candidates: readonly Candidate[],
  approved: readonly Candidate[],
  worst: { buy: Decimal; sell: Decimal },
): WantedQuote[] {
  if (ctx.strategy === undefined || ctx.live === undefined) return [];
  const max = dec(limits.maxPosition);
  const within = { buy: worst.buy <= max, sell: worst.sell >= D.neg(max) };
  const taken = new Set(approved.map((c) => c.quote.slot));
  const out: WantedQuote[] = [];
  for (const r of rejects) {
    if (r.rule !== 'max_position') continue;
    const refused = candidates.find((c) => c.quote.slot === r.slot);
    if (!refused || !within[refused.quote.side]) continue;
    const base = baseSlot(refused.quote.slot);
    const order = ctx.live.find(
      (o) =>
        o.strategy === ctx.strategy && !o.inFlight && o.approval !== true && o.reserve !== true && o.price !== undefined && o.slot !== undefined &&
        o.side === refused.quote.side && (o.slot === base || o.slot === twinSlot(base)) && !taken.has(o.slot),
    );
    if (!order || order.slot === undefined || order.price === undefined) continue;
    taken.add(order.slot);
    out.push({ slot: order.slot, side: order.side, price: toText(order.price), qty: toText(order.orderQty ?? order.qty), postOnly: refused.quote.postOnly });
  }
  return out;
}

/**
 * Splits what is live into the wanted quotes it already is (the strategy's own order in the quote's slot,
 * same side, price and size: kept, no new order) and everything else (committed: counts on top of the set).
 * `covered`: for a quote that replaces the strategy's own still unconfirmed approval in its slot (same side),
 * that approval's size. The router keeps one live order per slot and places the next only after the previous
 * is settled, so of the two at most the larger can fill — the order cache counts them the same way once this
 * set is approved. An order the venue has confirmed gets no such allowance: it counts until its cancel is confirmed.
 */
function splitLive(ctx: QuoteSetContext, candidates: readonly Candidate[]): { committed: LiveOrder[]; kept: Set<Candidate>; covered: Map<Candidate, Decimal> } {
  const committed = [...(ctx.live ?? [])];
  const kept = new Set<Candidate>();
  const covered = new Map<Candidate, Decimal>();
  if (ctx.strategy === undefined) return { committed, kept, covered };
  const mine = (o: LiveOrder, c: Candidate) => !o.reserve && o.strategy === ctx.strategy && o.slot === c.quote.slot && o.side === c.quote.side;
  for (const c of candidates) {
    const i = committed.findIndex((o) => mine(o, c) && o.price === c.price && o.qty === c.qty);
    if (i < 0) continue;
    committed.splice(i, 1);
    kept.add(c);
  }
  for (const c of candidates) {
    const approval = kept.has(c) ? undefined : committed.find((o) => mine(o, c) && o.approval === true);
    if (approval) covered.set(c, approval.qty);
  }
  return { committed, kept, covered };
}

function firstFired(c: Candidate, p: Projection, ctx: QuoteSetContext, limits: RiskLimits): { rule: RiskRule; detail: string } | undefined {
  for (const [rule, check] of QUOTE_RULES) {
    const detail = check(c, p, ctx, limits);
    if (detail !== undefined) return { rule, detail };
  }
  return undefined;
}

/** Bids best (highest) first and asks best (lowest) first, interleaved by rank; stable for equal prices. */
function touchOrder(quotes: readonly WantedQuote[]): Candidate[] {
  const parsed = quotes.map((quote) => ({ quote, price: dec(quote.price), qty: dec(quote.qty) }));
  const bids = parsed.filter((c) => c.quote.side === 'buy').sort((a, b) => D.cmp(b.price, a.price));
  const asks = parsed.filter((c) => c.quote.side === 'sell').sort((a, b) => D.cmp(a.price, b.price));
  const out: Candidate[] = [];
  for (let i = 0; i < Math.max(bids.length, asks.length); i++) {
    const bid = bids[i];
    const ask = asks[i];
    if (bid) out.push(bid);
    if (ask) out.push(ask);
  }
  return out;
}

/** A quote identical to its slot's previously approved one rests already: no new order. */
function isPlacement(c: Candidate, previous: readonly WantedQuote[] | undefined): boolean {
  if (previous === undefined) return true;
  const prev = previous.find((q) => q.slot === c.quote.slot);
  return !(prev && prev.side === c.quote.side && prev.postOnly === c.quote.postOnly && dec(prev.price) === c.price && dec(prev.qty) === c.qty);
}
