import { z } from 'zod';
import type { Instrument } from '@perpetua/core';
import type { LevelZero, MarketEvent, PricingContext, PricingModel, RestingQuote } from '../model/pricing-model.js';
import { makerYieldRuleSets } from '../maker-yield/rules/rule-sets.js';
import { allowanceFor, type YieldAllowance } from '../maker-yield/rule-set.js';

/** The programme's own band: no rule set counts an order farther than 10 bps from the mark. */
export const PROGRAMME_BAND_BPS = 10;

/**
 * maker-yield (StandX; the original bot's "uptime" mode): both sides resting
 * close to the MARK price so they count for the market-maker programme.
 *
 *   bid = mark·(1 − target_distance_bps/10⁴),  ask = mark·(1 + target_distance_bps/10⁴)
 *
 * each kept passive (the bid at least a tick under the best ask, the ask a tick
 * over the best bid); a side that this would push beyond max_distance_bps is
 * not quoted. Size per side: order_amount (default one unit of the rule set
 * for the symbol), never above the rule set's cap per side (more does not
 * count), and never more than keeps |position| within max_position (a side
 * that would breach it is not quoted: never break a risk limit to stay "up").
 * Inventory: inventory_skew_bps moves both quotes against the position (the
 * reducing side nearer the mark, the adding side farther), and beyond
 * inventory_soft_limit_pct of max_position the adding side shrinks toward
 * nothing at the cap. Each side carries its band edge as the ladder's limit,
 * so no level is placed beyond max_distance_bps − requote_margin_bps.
 * accepts() turns false when a resting order has drifted farther than
 * max_distance_bps − requote_margin_bps from the current mark (a tick of
 * snapping aside), or to the wrong side of it, so the runtime requotes before
 * the order stops counting.
 */
export const MakerYieldModelParams = z
  .looseObject({
    kind: z.literal('maker-yield'),
    /** The programme's rules: `sip5a` (default) or `legacy`. */
    rule_set: z.enum(['sip5a', 'legacy']).default('sip5a'),
    /** The farthest a quote may rest from the mark, bps. Default 8; above the programme's 10 bps band is a config error. */
    max_distance_bps: z
      .number()
      .positive()
      .max(PROGRAMME_BAND_BPS, `max_distance_bps must be at most the programme's ${PROGRAMME_BAND_BPS} bps band`)
      .default(8),
    /** Where quotes are placed, bps from the mark. Default 5 (credit weight 80% under sip5a). */
    target_distance_bps: z.number().positive().default(5),
    /** Requote once an order is within this many bps of max_distance_bps. Default 1. */
    requote_margin_bps: z.number().nonnegative().default(1),
    /**
     * Inventory skew, bps at |position| = max_position: long, the bid moves away from the mark and the ask
     * toward it (short, the reverse), so fills lean back toward flat before the cap empties a side. Both
     * stay inside max_distance_bps − requote_margin_bps. Default 0 (no skew).
     */
    inventory_skew_bps: z.number().nonnegative().default(0),
    /**
     * Percent of max_position beyond which the side that would add to the position shrinks with the room left
     * before max_position (in quarter steps of its size: ¾, ½, ¼, the last quarter held until the cap), instead
     * of keeping its size until the cap removes it at once: near the cap the adding side stays quoted (smaller,
     * so its fills move the position less) while the reducing side keeps its full size. Default 100 (off).
     */
    inventory_soft_limit_pct: z.number().min(0).max(100).default(100),
    /** Size per side, base units. Default: one unit of the rule set for the symbol. */
    order_amount: z.number().positive().finite().optional(),
    /** Unit and cap per side (base units) for symbols the rule set does not list. */
    yield_unit: z.number().positive().finite().optional(),
    yield_cap: z.number().positive().finite().optional(),
  })
  .refine((p) => p.target_distance_bps < p.max_distance_bps - p.requote_margin_bps, {
    message: 'target_distance_bps must be below max_distance_bps − requote_margin_bps',
    path: ['target_distance_bps'],
  });
export type MakerYieldModelParams = z.infer<typeof MakerYieldModelParams>;

export class MakerYieldModel implements PricingModel {
  private mark: number | undefined;
  readonly allowance: YieldAllowance | undefined;
  private last: Record<string, number> = {};

  constructor(
    private readonly params: MakerYieldModelParams,
    private readonly instrument: Instrument,
  ) {
    this.allowance = allowanceFor(makerYieldRuleSets[params.rule_set], instrument.base, { unit: params.yield_unit, cap: params.yield_cap });
  }

  onMarketEvent(e: MarketEvent): void {
    if (e.kind === 'mark') this.mark = e.mark.markPrice;
  }

  quote(ctx: PricingContext): LevelZero | null {
    const mark = ctx.mark ?? this.mark;
    if (mark === undefined || !(mark > 0) || !Number.isFinite(mark)) return null;
    const p = this.params;
    const tick = Number(this.instrument.tickSize);
    const amount = p.order_amount ?? this.allowance?.unit;
    if (amount === undefined) return null; // no size: neither configured nor known to the rule set
    const perSide = this.allowance ? Math.min(amount, this.allowance.cap) : amount;
    const bidRoom = Math.max(0, ctx.maxPosition - ctx.position);
    const askRoom = Math.max(0, ctx.maxPosition + ctx.position);
    const max = p.max_distance_bps / 10_000;
    const inventory = ctx.maxPosition > 0 ? Math.max(-1, Math.min(1, ctx.position / ctx.maxPosition)) : 0;
    const skew = p.inventory_skew_bps * inventory;
    const farthest = p.max_distance_bps - p.requote_margin_bps;
    const bidBps = Math.min(farthest, Math.max(0, p.target_distance_bps + skew));
    const askBps = Math.min(farthest, Math.max(0, p.target_distance_bps - skew));
    let bid = mark * (1 - bidBps / 10_000);
    let ask = mark * (1 + askBps / 10_000);
    if (ctx.bestAsk > 0) bid = Math.min(bid, ctx.bestAsk - tick);
    if (ctx.bestBid > 0) ask = Math.max(ask, ctx.bestBid + tick);
    const out: LevelZero = {};
    const soft = (p.inventory_soft_limit_pct / 100) * ctx.maxPosition;
    // Full size up to the soft limit, then in proportion to the room left before the cap, in quarter steps: a size
    // that followed every fill would replace the side's orders on every fill.
    const shrink = (room: number): number => (ctx.maxPosition - room <= soft ? 1 : Math.ceil(Math.max(0, room / (ctx.maxPosition - soft)) * 4) / 4);
    const bidSize = Math.min(perSide * (ctx.position > 0 ? shrink(bidRoom) : 1), bidRoom);
    const askSize = Math.min(perSide * (ctx.position < 0 ? shrink(askRoom) : 1), askRoom);
    if (bidSize > 0 && bid > 0 && mark - bid <= mark * max) out.bid = { price: bid, size: bidSize, limit: mark * (1 - farthest / 10_000) };
    if (askSize > 0 && ask - mark <= mark * max) out.ask = { price: ask, size: askSize, limit: mark * (1 + farthest / 10_000) };
    this.last = {
      mark,
      targetDistanceBps: p.target_distance_bps,
      bidDistanceBps: ((mark - bid) / mark) * 10_000,
      askDistanceBps: ((ask - mark) / mark) * 10_000,
      sizePerSide: perSide,
    };
    return out;
  }

  accepts(resting: readonly RestingQuote[], ctx: PricingContext): boolean {
    const mark = ctx.mark ?? this.mark;
    if (mark === undefined || !(mark > 0)) return true; // nothing to judge against
    // A tick beyond the edge is snapping (a bid placed at the edge rounds down), not drift.
    const limit = (this.params.max_distance_bps - this.params.requote_margin_bps) / 10_000 + Number(ctx.instrument.tickSize) / mark;
    for (const o of resting) {
      // Positive when on its own side of the mark (bid below, ask above).
      const away = o.side === 'buy' ? (mark - o.price) / mark : (o.price - mark) / mark;
      if (away < 0 || away > limit) return false;
    }
    return true;
  }

  diagnostics(): Record<string, number> {
    return { ...this.last };
  }
}
