import { CachedSnapper, D, baseSlot, dec, twinSlot, toNumber, type BookMessage, type Clock, type Decimal, type Fill, type Instrument, type MarkMessage, type OrderEvent, type PositionMessage, type Side, type StrategyStatsMessage, type StrategyYieldMessage, type TradeMessage, type WantedQuote } from '@perpetua/core';
import type { YieldTracker } from '../maker-yield/yield-tracker.js';
import { fitToReplacementRoom } from './replacement-room.js';
import type { PricingContext, PricingModel, RestingQuote } from '../model/pricing-model.js';
import type { HygieneParams } from './hygiene-params.js';
import { LadderMemo } from './ladder-memo.js';
import { planBeforeBreak } from './make-before-break.js';
import { RestingOrders } from './resting-orders.js';
import { PositionEstimate } from './position-estimate.js';
import { requoteReason, requoteTimesAfter, type RequoteReason } from './requote-policy.js';
import { VolatilityPause } from './volatility-pause.js';
import { StrategyStats } from '../stats/strategy-stats.js';

const NO_SIDES: ReadonlySet<Side> = new Set<Side>();
/** The yield tracker starts counting at the first order of ours the venue confirms, or this long after the first book. */
const YIELD_START_GRACE_MS = 5_000;
/** How long a published quote may stay unconfirmed (neither resting nor closed) before the set is asked again. */
const UNCONFIRMED_REASK_MS = 1_000;

export interface StrategyIdentity {
  id: string;
  venue: string;
  account: string;
  symbol: string;
  /** The model's kind, for the stats. */
  kind: string;
}

export interface StrategyInstanceDeps {
  model: PricingModel;
  instrument: Instrument;
  clock: Clock;
  hygiene: HygieneParams;
  /** Largest |position| (base units) a wanted set may lead to. */
  maxPosition: string;
  /** The maker-yield tracker, where the venue runs a programme (StandX): fed the mark and what rests as confirmed. */
  yieldTracker?: YieldTracker;
}

/** A new complete set of wanted quotes; null from a handler means "no change". */
export interface QuoteDecision {
  quotes: WantedQuote[];
  reason: RequoteReason;
  /** The mid it was computed from (absent: no usable book, the set is empty). */
  mid: number | undefined;
  /** The book's sequence it was computed from (0 before any book). */
  bookSeq: number;
  ts: number;
}

/**
 * One strategy instance: a pricing model plus the quote hygiene, and what the
 * instance knows (its position, what of its own rests on the venue as
 * confirmed, its fills, the book, trades, the mark and funding, the time).
 * Pure: no I/O; time comes from the clock it is handed. Every handler answers
 * with the complete set it wants resting now, or null for no change.
 */
export class StrategyInstance {
  private bestBid = 0;
  private bestAsk = 0;
  private bookUsable = false;
  private bookSeq = 0;
  /** When the first usable book came (ms). */
  private firstBook: number | undefined;
  private mark: number | undefined;
  private readonly positions = new PositionEstimate();
  /** positions.value, read on every decide. */
  private position: Decimal = D.ZERO;
  private readonly maxPosition: Decimal;
  private readonly resting: RestingOrders;
  private published: Map<string, WantedQuote> | undefined;
  private lastPublished = Number.NEGATIVE_INFINITY;
  /** When each side last filled (ms): its cool-down. */
  private readonly lastFill: Record<Side, number> = { buy: Number.NEGATIVE_INFINITY, sell: Number.NEGATIVE_INFINITY };
  /** Slots replaced for age alternate between two names, so the router replaces rather than keeps them. */
  private readonly renamed = new Set<string>();
  /** Bumped on every change of `renamed` (slot names): the ladder memo's key. */
  private renamedVersion = 0;
  private readonly ladder = new LadderMemo();
  /** Orders already replaced for age (bounded: one live order per slot, so a handful). */
  private readonly aged = new Set<string>();
  private readonly pause: VolatilityPause;
  private readonly stats: StrategyStats;
  private readonly snapper: CachedSnapper;
  /** Float views of the exact position and limit for the model, remade only when the position changes (each decide needs them). */
  private readonly maxPositionNum: number;
  private positionSeen: Decimal | undefined;
  private positionNum = 0;
  /** Made once: a closure per decide costs on the backtest's hot path. */
  private readonly slotNameOf = (side: Side, level: number): string => this.slotName(side, level);
  private readonly restingIn = (slot: string) => this.resting.get(slot);
  private readonly goneAs = (slot: string) => this.resting.goneAs(slot);
  /**
   * Set when a decision came out null for a stateless model without the volatility pause: the touch it saw, and
   * the first time after it at which the hygiene's clocks (refresh, re-ask, cool-down, order age) could change the
   * answer. Until then, a book with the same touch gives null again without deciding (see quietHolds). Every
   * decision clears it first, and every other handler that changes what a decision reads decides (or clears it).
   */
  private quiet: { usable: boolean; bid: number; ask: number; until: number } | undefined;

  constructor(
    readonly identity: StrategyIdentity,
    private readonly deps: StrategyInstanceDeps,
  ) {
    this.maxPosition = dec(deps.maxPosition);
    this.snapper = new CachedSnapper(deps.instrument);
    this.maxPositionNum = toNumber(this.maxPosition);
    this.resting = new RestingOrders(identity.id);
    const h = deps.hygiene;
    this.pause = new VolatilityPause(h.volatility_pause_bps, h.volatility_resume_bps, h.volatility_pause_window);
    this.stats = new StrategyStats(
      { strategy: identity.id, venue: identity.venue, account: identity.account, symbol: identity.symbol, kind: identity.kind, maxPosition: Number(deps.maxPosition) },
      deps.clock.now(),
    );
  }

  /** The position found in the store at start: the instance begins from it. */
  startFrom(p: Pick<PositionMessage, 'qty' | 'avgEntry' | 'funding'>): void {
    this.quiet = undefined;
    this.positions.report(dec(p.qty));
    this.position = this.positions.value;
    this.stats.opening(p);
  }

  onBook(book: BookMessage): QuoteDecision | null {
    if (!this.mine(book)) return null;
    const bid = book.bids[0];
    const ask = book.asks[0];
    this.bookSeq = book.seq;
    this.bookUsable = !book.stale && bid !== undefined && ask !== undefined && bid[0] < ask[0];
    if (this.bookUsable) {
      this.bestBid = bid![0];
      this.bestAsk = ask![0];
      this.pause.observe(this.now(), this.mid()!);
      this.firstBook ??= this.now();
    }
    this.deps.model.onMarketEvent({ kind: 'book', ts: this.now(), book });
    if (this.quietHolds()) return null;
    return this.decide();
  }

  onTrade(trade: TradeMessage): QuoteDecision | null {
    if (!this.mine(trade)) return null;
    this.deps.model.onMarketEvent({ kind: 'trade', ts: this.now(), trade });
    return this.decide();
  }

  onMark(mark: MarkMessage): QuoteDecision | null {
    if (!this.mine(mark)) return null;
    this.mark = mark.markPrice;
    this.deps.yieldTracker?.onMark(this.now(), mark.markPrice);
    this.deps.model.onMarketEvent({ kind: 'mark', ts: this.now(), mark });
    return this.decide();
  }

  onOrderEvent(e: OrderEvent): QuoteDecision | null {
    if (!this.mine(e) || e.account !== this.identity.account) return null;
    const seen = this.resting.apply(e, this.published ?? new Map(), this.now());
    if (seen === 'other') return null;
    const resting = this.restingQuotes();
    // The venue has answered with an order of ours resting: the tracker's seconds count from here (yield-tracker.ts).
    if (resting.length > 0) this.deps.yieldTracker?.begin(this.now());
    this.deps.yieldTracker?.onResting(this.now(), resting);
    // The venue says the order filled (often before the fill message): the side's cool-down starts now.
    if (seen === 'filled') this.lastFill[e.side] = this.now();
    this.stats.orderEvent(e);
    return this.decide();
  }

  onFill(f: Fill): QuoteDecision | null {
    if (!this.mine(f) || f.account !== this.identity.account) return null;
    if (this.resting.owner(f.clientOrderId) === null) return null;
    // Until risk's position message confirms it, the fill counts at once: a cap must not lag a fill. Once.
    if (!this.positions.fill(f.fillId, f.side, dec(f.qty))) return null;
    this.lastFill[f.side] = this.now();
    this.position = this.positions.value;
    this.resting.booked(f.clientOrderId, dec(f.qty));
    this.stats.fill(f, this.mid());
    return this.decide();
  }

  onPosition(p: PositionMessage): QuoteDecision | null {
    if (!this.mine(p) || p.account !== this.identity.account) return null;
    // A report trailing the fills already counted does not undo them (position-estimate.ts).
    this.positions.report(dec(p.qty));
    this.position = this.positions.value;
    this.stats.position(p);
    return this.decide();
  }

  /** A timer tick: cool-downs ending, orders ageing, a pending move's refresh time coming due. */
  onTimer(): QuoteDecision | null {
    return this.decide();
  }

  snapshot(): StrategyStatsMessage {
    const now = this.now();
    return this.stats.snapshot(now, {
      mid: this.mid(),
      mark: this.mark,
      position: toNumber(this.position),
      paused: this.pause.isPaused(),
      pausedMs: this.pause.pausedTotalMs(now),
      model: this.deps.model.diagnostics(),
    });
  }

  /** The maker-yield standing now, where a tracker runs. */
  yieldReport(): StrategyYieldMessage | undefined {
    return this.deps.yieldTracker?.report(this.now());
  }

  /** What the venue confirmed resting, as the model sees it. */
  restingQuotes(): RestingQuote[] {
    return this.resting.all().map((o) => ({ side: o.side, price: Number(o.price), qty: Number(o.qty) }));
  }

  currentPosition(): Decimal {
    return this.position;
  }

  private decide(): QuoteDecision | null {
    this.quiet = undefined;
    const now = this.now();
    // Nothing confirmed resting long after the first book (risk refusing every quote, a venue down): counted as down.
    if (this.firstBook !== undefined && now >= this.firstBook + YIELD_START_GRACE_MS) this.deps.yieldTracker?.begin(this.firstBook + YIELD_START_GRACE_MS);
    const mid = this.mid();
    const paused = this.pause.update(now);
    let wanted: WantedQuote[] = [];
    let accepts = true;
    if (mid !== undefined && !paused) {
      const ctx = this.context(now, mid);
      const levelZero = this.deps.model.quote(ctx);
      if (levelZero) {
        this.ageOut(now);
        const h = this.deps.hygiene;
        const delayMs = h.filled_order_delay * 1000;
        const buyOff = now < this.lastFill.buy + delayMs;
        const sellOff = now < this.lastFill.sell + delayMs;
        const sidesOff: ReadonlySet<Side> = buyOff || sellOff ? new Set<Side>(buyOff ? (sellOff ? ['buy', 'sell'] : ['buy']) : ['sell']) : NO_SIDES;
        wanted = this.ladder.ladder(
          {
            levelZero,
            hygiene: h,
            instrument: this.deps.instrument,
            snapper: this.snapper,
            position: this.position,
            maxPosition: this.maxPosition,
            mid,
            bestBid: this.bestBid,
            bestAsk: this.bestAsk,
            sidesOff,
            slotName: this.slotNameOf,
          },
          this.renamedVersion,
        );
        wanted = this.keepWithinTolerance(wanted, ctx);
        // Fitted before the requote decision: the set compared with the last one is the set that would be sent,
        // so a quote cut to the room left does not read as a new size on every event.
        wanted = this.fitToRoom(wanted);
        // What rests is made into the model's form only for a model that judges it.
        const model = this.deps.model;
        if (model.accepts !== undefined && this.resting.size > 0) accepts = model.accepts(this.restingQuotes(), ctx);
      }
    }
    let reason = requoteReason({
      wanted,
      published: this.published,
      resting: this.restingIn,
      goneAs: this.goneAs,
      accepts,
      now,
      lastPublished: this.lastPublished,
      mid,
      hygiene: this.deps.hygiene,
    });
    // Uptime mode (make_before_break): a quote asked for a while ago and still neither resting nor closed may have
    // been refused by risk (which tells the strategy nothing), leaving its side empty: the set is asked again, at
    // most once a second (an identical set changes nothing at the router while the order is only slow).
    const reask =
      reason === null && this.deps.hygiene.make_before_break && this.published !== undefined && now - this.lastPublished >= UNCONFIRMED_REASK_MS && this.pending().length > 0;
    if (reask) reason = 'gone';
    if (reason === null) {
      this.rememberQuiet(now);
      return null;
    }
    if (this.deps.hygiene.make_before_break) wanted = this.fitToRoom(this.beforeBreak(wanted));
    // The very set already asked for, none of it to ask again (a staggered side waiting for an order on its way): no intent.
    if (!reask && this.asPublished(wanted)) return null;
    this.published = new Map(wanted.map((q) => [q.slot, q]));
    this.lastPublished = now;
    this.resting.published();
    this.stats.published(wanted, mid);
    return { quotes: wanted, reason, mid, bookSeq: this.bookSeq, ts: now };
  }

  /**
   * After a null decision: what would make the next one differ with nothing else changed. A stateless model's
   * quote reads only the touch (the position, mark and resting orders change only through handlers that decide
   * again); without the volatility pause, what else a decision reads of time is monotone in it (an order's age
   * passing max_order_age, a side's cool-down ending, order_refresh_time or the re-ask spacing passing since the
   * last set), so before the first such time still ahead the answer stays null.
   */
  private rememberQuiet(now: number): void {
    const h = this.deps.hygiene;
    if (this.deps.model.stateless !== true || h.volatility_pause_bps !== undefined) return;
    let until = requoteTimesAfter(now, this.lastPublished, h);
    const maxAge = h.max_order_age * 1000;
    if (maxAge > 0) {
      for (const o of this.resting.values()) {
        const at = o.since + maxAge;
        if (at > now && at < until && !this.aged.has(o.clientOrderId)) until = at;
      }
    }
    const delayMs = h.filled_order_delay * 1000;
    for (const at of [this.lastFill.buy + delayMs, this.lastFill.sell + delayMs]) if (at > now && at < until) until = at;
    // make_before_break's re-ask of a quote still unconfirmed is a clock too.
    if (h.make_before_break && this.published !== undefined && this.pending().length > 0) {
      const at = this.lastPublished + UNCONFIRMED_REASK_MS;
      until = at > now ? Math.min(until, at) : now;
    }
    this.quiet = { usable: this.bookUsable, bid: this.bestBid, ask: this.bestAsk, until };
  }

  /** The last decision was null, the touch is where it was then, and no clock of the hygiene has run out since. */
  private quietHolds(): boolean {
    const q = this.quiet;
    if (q === undefined || q.usable !== this.bookUsable || this.now() >= q.until) return false;
    return !q.usable || (q.bid === this.bestBid && q.ask === this.bestAsk);
  }

  /**
   * A wanted quote within order_refresh_tolerance_pct of the order resting in
   * its slot, or of the quote still on its way there (same side and size, and
   * one the model still accepts), keeps that price: a set republished for
   * another slot does not touch it, so a requote replaces only what moved (one
   * side's gap, not both), and an order the venue has not confirmed yet is not
   * re-asked at a new price on every event.
   */
  private keepWithinTolerance(wanted: WantedQuote[], ctx: PricingContext): WantedQuote[] {
    const tol = this.deps.hygiene.order_refresh_tolerance_pct;
    if (!this.published || tol <= 0) return wanted;
    return wanted.map((q) => {
      const asked = this.published!.get(q.slot);
      if (!asked || asked.side !== q.side || asked.qty !== q.qty || q.price === asked.price) return q;
      // Resting at the asked price, or still on its way (the venue has not closed it): the asked price stands.
      if (this.resting.goneAs(q.slot) !== undefined) return q;
      const rest = this.resting.get(q.slot);
      const ref = Number(asked.price);
      if ((Math.abs(Number(q.price) - ref) / ref) * 100 > tol) return q;
      if (this.deps.model.accepts?.([{ side: asked.side, price: ref, qty: Number(rest?.price === asked.price ? rest.qty : asked.qty) }], ctx) === false) return q;
      return { ...q, price: asked.price };
    });
  }

  private asPublished(wanted: readonly WantedQuote[]): boolean {
    const p = this.published;
    if (!p || p.size !== wanted.length) return false;
    return wanted.every((q) => {
      const a = p.get(q.slot);
      return a !== undefined && a.side === q.side && a.price === q.price && a.qty === q.qty && this.resting.goneAs(q.slot) === undefined;
    });
  }

  /** New quotes sized to the room risk leaves (replacement-room.ts), counting what was asked and is still on its way. */
  private fitToRoom(wanted: WantedQuote[]): WantedQuote[] {
    return fitToReplacementRoom({
      wanted,
      resting: this.resting.all(),
      pending: this.pending(),
      position: this.position,
      positionRange: this.positions.range(this.resting.filledAhead()),
      maxPosition: this.maxPosition,
      instrument: this.deps.instrument,
    });
  }


  /** Published quotes the venue has neither confirmed at their price nor closed: approved or refused, still unknown. */
  private pending(): WantedQuote[] {
    const out: WantedQuote[] = [];
    if (!this.published) return out;
    for (const q of this.published.values()) {
      const rest = this.resting.get(q.slot);
      if (rest && rest.side === q.side && dec(rest.price) === dec(q.price)) continue;
      if (this.resting.goneAs(q.slot) !== undefined) continue;
      out.push(q);
    }
    return out;
  }

  /** make_before_break, where the worst case allows it (make-before-break.ts). */
  private beforeBreak(wanted: WantedQuote[]): WantedQuote[] {
    const plan = planBeforeBreak({ wanted, published: this.published, resting: this.resting.all(), pending: this.pending(), renamed: this.renamed, position: this.position, maxPosition: this.maxPosition });
    this.renamed.clear();
    for (const r of plan.renamed) this.renamed.add(r);
    this.renamedVersion++;
    return plan.quotes;
  }

  /** A resting order older than max_order_age gets its slot renamed: the router replaces it. */
  private ageOut(now: number): void {
    const maxAge = this.deps.hygiene.max_order_age * 1000;
    if (maxAge <= 0) return;
    for (const o of this.resting.values()) {
      if (now - o.since < maxAge || this.aged.has(o.clientOrderId)) continue;
      this.aged.add(o.clientOrderId);
      if (this.aged.size > 256) this.aged.delete(this.aged.values().next().value!);
      const base = baseSlot(o.slot);
      if (this.renamed.has(base)) this.renamed.delete(base);
      else this.renamed.add(base);
      this.renamedVersion++;
    }
  }

  private slotName(side: Side, level: number): string {
    const base = `${side === 'buy' ? 'bid' : 'ask'}-${level}`;
    return this.renamed.has(base) ? twinSlot(base) : base;
  }

  private context(now: number, mid: number): PricingContext {
    return {
      now,
      bestBid: this.bestBid,
      bestAsk: this.bestAsk,
      mid,
      ...(this.mark !== undefined ? { mark: this.mark } : {}),
      position: this.positionNumber(),
      maxPosition: this.maxPositionNum,
      instrument: this.deps.instrument,
    };
  }

  private positionNumber(): number {
    if (this.positionSeen !== this.position) {
      this.positionSeen = this.position;
      this.positionNum = toNumber(this.position);
    }
    return this.positionNum;
  }

  private mid(): number | undefined {
    return this.bookUsable ? (this.bestBid + this.bestAsk) / 2 : undefined;
  }

  private now(): number {
    return this.deps.clock.now();
  }

  private mine(m: { venue: string; symbol: string }): boolean {
    return m.venue === this.identity.venue && m.symbol === this.identity.symbol;
  }
}
