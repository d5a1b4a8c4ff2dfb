import { L2Book } from '@perpetua/book';
import { D, SimulatedClock, dec, toNumber, toText, type BookLevel, type Clock, type BookMessage, type Decimal, type Fill, type Instrument, type OrderEvent, type OrderStatus, type WantedQuote } from '@perpetua/core';
import { FillSimulator, FundingClock, type FeeTier, type LatencyModel, type QueueModel, type SimEvent } from '@perpetua/fills';
import { evaluateQuoteSet, type RiskLimits } from '@perpetua/risk';
import type { BacktestResult } from './backtest-report.js';
import type { BacktestStrategy } from './backtest-strategy.js';
import { BoundedSeries } from './bounded-series.js';
import { L2DepthView } from './l2-depth-view.js';
import { MakerYieldTracker, makerYieldRules } from './maker-yield-tracker.js';
import { PositionLedger } from './position-ledger.js';
import type { ReplayEvent } from './replay-event.js';
import { SlotRouter } from './slot-router.js';

export interface BacktestRunnerOptions {
  venue: string;
  symbol: string;
  account: string;
  strategyId: string;
  instrument: Instrument;
  risk: RiskLimits;
  queue: QueueModel;
  latency: LatencyModel;
  fees: FeeTier;
  /** Levels per side of the books the strategy sees (the gateway's depth). */
  bookDepth?: number;
  /** Report sampling interval (simulated ms). */
  sampleMs?: number;
  /** The strategy's timer interval (simulated ms). */
  timerMs?: number;
  fundingIntervalMs?: number;
}

/** The strategy, built at the replay's first event on the replay's clock (the runtime reads time only from it). */
export type StrategyFactory = (clock: Clock) => BacktestStrategy;

/**
 * The replay loop, pure and synchronous: each market event is played to the
 * fill model at the venue's time and to the strategy at our receive time;
 * the strategy's wanted set passes the pure risk rules, then the router's
 * slot rule, then travels to the fill model with the entry latency; the
 * venue's answers come back after the response latency. Everything is driven
 * by the events' timestamps, so the same input gives the same report.
 */
export class BacktestRunner {
  private readonly sim: FillSimulator;
  private readonly router: SlotRouter;
  private strategy!: BacktestStrategy;
  private clock: SimulatedClock | undefined;
  private readonly ledger = new PositionLedger();
  private readonly funding: FundingClock;
  private readonly yieldTracker: MakerYieldTracker;
  private readonly book = new L2Book();
  private readonly depthView = new L2DepthView(this.book);
  /** Venue answers on their way to us, by arrival time. */
  private readonly inbound: SimEvent[] = [];
  private readonly orders = new Map<string, { side: 'buy' | 'sell'; price: string; qty: string; filled: Decimal; fills: number; hadFill: boolean }>();
  private now = Number.NEGATIVE_INFINITY;
  private exchangeNow = Number.NEGATIVE_INFINITY;
  private start: number | undefined;
  private nextSample = Number.NEGATIVE_INFINITY;
  private bookSeq = 0;
  private venueSeq: number | undefined;
  private awaitingSnapshot = false;
  private mid: number | undefined;
  private mark: number | undefined;
  private bestBid: number | undefined;
  private bestAsk: number | undefined;
  private approved: WantedQuote[] | undefined;
  private events = 0;
  private requotes = 0;
  private filledOrders = 0;
  private fills = 0;
  private volumeQuote: Decimal = D.ZERO;
  private volumeBase: Decimal = D.ZERO;
  private capturedWeighted = 0;
  private capturedSize = 0;
  private invN = 0;
  private invSum = 0;
  private invSq = 0;
  private invAbsSum = 0;
  private invMaxAbs = 0;
  private peak = Number.NEGATIVE_INFINITY;
  private maxDrawdown = 0;
  private minuteStartEquity: number | undefined;
  private nextMinute = Number.NEGATIVE_INFINITY;
  private minuteReturns = { n: 0, sum: 0, sq: 0 };
  private readonly rejects: Record<string, number> = {};
  private readonly samples = new BoundedSeries<readonly [number, number, number, number, number]>();
  private readonly fillSeries = new BoundedSeries<readonly [number, number, number]>();
  private readonly sampleMs: number;
  private readonly timerMs: number;
  private readonly depth: number;

  constructor(
    private readonly opts: BacktestRunnerOptions,
    private readonly factory: StrategyFactory,
  ) {
    this.sampleMs = opts.sampleMs ?? 1000;
    this.timerMs = opts.timerMs ?? 250;
    this.depth = opts.bookDepth ?? 20;
    this.funding = new FundingClock({ intervalMs: opts.fundingIntervalMs });
    this.yieldTracker = new MakerYieldTracker(makerYieldRules(opts.symbol));
    this.sim = new FillSimulator({ lotSize: dec(opts.instrument.lotSize), queue: opts.queue, fees: opts.fees, latency: opts.latency, onEvent: (e) => this.fromVenue(e) });
    this.router = new SlotRouter(`${opts.strategyId.slice(0, 12)}-`, {
      place: (o) => {
        // What each order asked, for the order events the strategy reads; it leaves once final.
        this.orders.set(o.clientOrderId, { side: o.side, price: toText(o.price), qty: toText(o.qty), filled: D.ZERO, fills: 0, hadFill: false });
        this.sim.submit(o, this.now);
      },
      cancel: (id) => this.sim.cancel(id, this.now),
    });
  }

  /** Plays one market event (events in receive-time order). */
  onEvent(e: ReplayEvent): void {
    const m = e.msg;
    if (m.venue !== this.opts.venue || m.symbol !== this.opts.symbol) return;
    this.events++;
    if (this.clock === undefined) this.begin(m.tsReceived);
    // The venue side, at the venue's time (never backwards: recordings interleave sources).
    const tx = Math.max(this.exchangeNow, m.tsExchange);
    this.exchangeNow = tx;
    switch (e.kind) {
      case 'depth': {
        const d = e.msg;
        if (d.type === 'snapshot') {
          this.book.applySnapshot(d.bids, d.asks);
          this.awaitingSnapshot = false;
        } else {
          if (this.awaitingSnapshot) break;
          if (d.prevVenueSeq !== undefined && this.venueSeq !== undefined && d.prevVenueSeq !== this.venueSeq) {
            this.awaitingSnapshot = true; // a gap in the recording: nothing built on this book is known until a snapshot
            break;
          }
          this.book.applyDelta(d); // the message is a BookDelta itself (bids, asks): no object made per delta
        }
        this.venueSeq = d.venueSeq ?? this.venueSeq;
        this.sim.onDepth(this.depthView, tx);
        break;
      }
      case 'book':
        this.sim.onBook(e.msg.bids, e.msg.asks, tx);
        break;
      case 'trade':
        this.sim.onTrade(e.msg.price, e.msg.size, e.msg.side, tx);
        break;
      case 'mark':
        this.funding.onMark(tx, dec(e.msg.markPrice), e.msg.fundingRate !== undefined ? dec(e.msg.fundingRate) : undefined, e.msg.nextFundingTime);
        break;
    }
    // Our side, at our receive time.
    this.advanceLocal(m.tsReceived);
    switch (e.kind) {
      case 'depth': {
        if (this.awaitingSnapshot) return;
        const top = this.book.topNShared(this.depth); // nobody writes into the strategy's book: unchanged levels are shared
        this.touch(top.bids, top.asks);
        const book: BookMessage = { venue: m.venue, symbol: m.symbol, seq: ++this.bookSeq, venueSeq: this.venueSeq, bids: top.bids, asks: top.asks, tsExchange: m.tsExchange, tsReceived: m.tsReceived, tsPublished: m.tsReceived, stale: this.book.isCrossed() };
        return this.decide(this.strategy.onBook(book));
      }
      case 'book':
        this.touch(e.msg.bids, e.msg.asks);
        return this.decide(this.strategy.onBook(e.msg));
      case 'trade':
        return this.decide(this.strategy.onTrade(e.msg));
      case 'mark':
        this.mark = e.msg.markPrice;
        return this.decide(this.strategy.onMark(e.msg));
    }
  }

  /** The clock starts at the first event; the strategy is built on it and its timer set, as the quoter does. */
  private begin(ts: number): void {
    this.start = ts;
    this.now = ts;
    this.clock = new SimulatedClock(ts);
    this.strategy = this.factory(this.clock);
    this.clock.setTimer('strategy:tick', this.timerMs, () => this.decide(this.strategy.onTimer()));
  }

  /** Plays out the answers still travelling and reports. */
  finish(): BacktestResult {
    if (this.clock === undefined) this.begin(0);
    if (this.inbound.length > 0) this.advanceLocal(this.inbound.at(-1)!.tsLocal);
    const markD = this.mid !== undefined ? dec(this.mid) : D.ZERO;
    const l = this.ledger;
    const minutes = this.start === undefined ? 0 : (this.now - this.start) / 60_000;
    const invMean = this.invN ? this.invSum / this.invN : 0;
    const invStd = this.invN ? Math.sqrt(Math.max(0, this.invSq / this.invN - invMean * invMean)) : 0;
    const absMean = this.invN ? this.invAbsSum / this.invN : 0;
    const r = this.minuteReturns;
    const rMean = r.n ? r.sum / r.n : 0;
    const rStd = r.n > 1 ? Math.sqrt(Math.max(0, (r.sq - r.n * rMean * rMean) / (r.n - 1))) : 0;
    const round = (x: number, places = 6) => (Number.isFinite(x) ? Number(x.toFixed(places)) : 0);
    return {
      report: {
        venue: this.opts.venue,
        symbol: this.opts.symbol,
        strategy: this.opts.strategyId,
        from: this.start ?? 0,
        to: Number.isFinite(this.now) ? this.now : 0,
        events: this.events,
        pnl: { realized: toText(l.realized), unrealized: toText(l.unrealized(markD)), fees: toText(l.feesPaid), rebates: toText(l.rebates), funding: toText(l.funding), total: toText(l.total(markD)) },
        volume: toText(this.volumeQuote),
        volumeBase: toText(this.volumeBase),
        fills: this.fills,
        ordersPlaced: this.router.placed,
        cancels: this.router.cancels,
        fillRate: round(this.router.placed ? this.filledOrders / this.router.placed : 0),
        avgCapturedSpreadBps: round(this.capturedSize ? this.capturedWeighted / this.capturedSize : 0, 4),
        inventory: { mean: round(invMean), std: round(invStd), maxAbs: round(this.invMaxAbs), final: toText(l.qty) },
        turnover: round(absMean > 0 ? toNumber(this.volumeBase) / absMean : 0, 4),
        maxDrawdown: round(this.maxDrawdown, 6),
        dailySharpe: round(rStd > 0 ? (rMean / rStd) * Math.sqrt(1440) : 0, 4),
        requotesPerMinute: round(minutes > 0 ? this.requotes / minutes : 0, 4),
        volatilityPauseSec: round(this.strategy.pausedMs() / 1000, 3),
        makerYield: { uptimePct: round(this.yieldTracker.uptimePct(), 4), makerHours: round(this.yieldTracker.makerHours(), 6) },
        riskRejects: Object.fromEntries(Object.entries(this.rejects).sort()),
      },
      series: { samples: this.samples.values, fills: this.fillSeries.values },
    };
  }

  private touch(bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    this.bestBid = bids[0]?.[0];
    this.bestAsk = asks[0]?.[0];
    if (this.bestBid !== undefined && this.bestAsk !== undefined && this.bestBid < this.bestAsk) this.mid = (this.bestBid + this.bestAsk) / 2;
  }

  /** Moves our clock to ts: venue answers that arrived by then reach the strategy in order, timers and samples fall due. */
  private advanceLocal(ts: number): void {
    const target = Math.max(ts, this.now);
    while (this.inbound.length > 0 && this.inbound[0]!.tsLocal <= target) {
      const e = this.inbound.shift()!;
      this.tick(e.tsLocal);
      this.deliver(e);
    }
    this.tick(target);
  }

  private tick(ts: number): void {
    if (ts > this.now) this.now = ts;
    if (this.nextSample === Number.NEGATIVE_INFINITY) this.nextSample = this.now;
    // Timers due on the way fire at their own time (the clock is set to it while they run).
    for (const due of this.clock!.advanceTo(this.now)) due.fire();
    const fundingDue = this.funding.advance(this.exchangeNow, this.ledger.qty);
    if (fundingDue) this.ledger.addFunding(fundingDue.amount);
    while (this.nextSample <= this.now) {
      this.sample(this.nextSample);
      this.nextSample += this.sampleMs;
    }
  }

  private sample(ts: number): void {
    const mid = this.mid;
    const q = toNumber(this.ledger.qty);
    const equity = mid !== undefined ? toNumber(this.ledger.total(dec(mid))) : 0;
    this.invN++;
    this.invSum += q;
    this.invSq += q * q;
    this.invAbsSum += Math.abs(q);
    this.invMaxAbs = Math.max(this.invMaxAbs, Math.abs(q));
    this.peak = Math.max(this.peak, equity);
    this.maxDrawdown = Math.max(this.maxDrawdown, this.peak - equity);
    if (ts >= this.nextMinute) {
      if (this.minuteStartEquity !== undefined) {
        const d = equity - this.minuteStartEquity;
        this.minuteReturns.n++;
        this.minuteReturns.sum += d;
        this.minuteReturns.sq += d * d;
      }
      this.minuteStartEquity = equity;
      this.nextMinute = ts + 60_000;
    }
    const resting = this.router.resting();
    const bids = resting.filter((r) => r.side === 'buy').map((r) => ({ price: Number(r.price), qty: Number(r.qty) }));
    const asks = resting.filter((r) => r.side === 'sell').map((r) => ({ price: Number(r.price), qty: Number(r.qty) }));
    this.yieldTracker.sample(ts, this.mark ?? mid, bids, asks);
    const bestOurBid = bids.reduce((b, x) => Math.max(b, x.price), Number.NEGATIVE_INFINITY);
    const bestOurAsk = asks.reduce((b, x) => Math.min(b, x.price), Number.POSITIVE_INFINITY);
    const spread = mid !== undefined && Number.isFinite(bestOurBid) && Number.isFinite(bestOurAsk) ? ((bestOurAsk - bestOurBid) / mid) * 10_000 : Number.NaN;
    this.samples.push([ts / 1000, equity, q, mid ?? Number.NaN, spread] as const);
  }

  /** A venue answer happened (venue time): fills are booked now; we learn of it at tsLocal. */
  private fromVenue(e: SimEvent): void {
    if (e.kind === 'fill') {
      this.ledger.fill(e.side, e.price, e.qty, e.fee);
      this.fills++;
      const notional = D.mul(e.price, e.qty);
      this.volumeQuote = D.add(this.volumeQuote, notional);
      this.volumeBase = D.add(this.volumeBase, e.qty);
      const mid = this.book.levelCount > 0 ? this.book.mid() : this.mid;
      const price = toNumber(e.price);
      const qty = toNumber(e.qty);
      if (mid) {
        this.capturedWeighted += (((e.side === 'buy' ? mid - price : price - mid) / mid) * 10_000) * qty;
        this.capturedSize += qty;
      }
      this.fillSeries.push([e.ts / 1000, price, e.side === 'buy' ? qty : -qty] as const);
    }
    let i = this.inbound.length;
    while (i > 0 && this.inbound[i - 1]!.tsLocal > e.tsLocal) i--;
    this.inbound.splice(i, 0, e);
  }

  /** A venue answer reaches us: the router and the strategy learn of it, as the live router would report it. */
  private deliver(e: SimEvent): void {
    const o = this.orders.get(e.clientOrderId);
    switch (e.kind) {
      case 'accepted':
        this.router.onAccepted(e.clientOrderId);
        return this.decide(this.strategy.onOrderEvent(this.orderEvent(e.clientOrderId, 'new')));
      case 'rejected':
      case 'expired':
      case 'canceled': {
        const ev = this.orderEvent(e.clientOrderId, e.kind, e.kind === 'canceled' ? undefined : e.reason);
        this.router.onGone(e.clientOrderId);
        this.orders.delete(e.clientOrderId);
        return this.decide(this.strategy.onOrderEvent(ev));
      }
      case 'cancel_rejected':
        // Gone already (its fill is on its way or came first): the fill's own event settles the slot.
        return;
      case 'fill': {
        if (!o) return;
        o.filled = e.filled;
        o.fills++;
        if (!o.hadFill) {
          o.hadFill = true;
          this.filledOrders++;
        }
        const fill: Fill = {
          fillId: `${e.clientOrderId}-${o.fills}`,
          venue: this.opts.venue,
          account: this.opts.account,
          symbol: this.opts.symbol,
          clientOrderId: e.clientOrderId,
          side: e.side,
          price: toText(e.price),
          qty: toText(e.qty),
          fee: toText(e.fee),
          liquidity: e.liquidity,
          tsExchange: e.ts,
          tsReceived: e.tsLocal,
        };
        this.decide(this.strategy.onFill(fill));
        const ev = this.orderEvent(e.clientOrderId, e.done ? 'filled' : 'partially_filled');
        if (e.done) {
          this.router.onGone(e.clientOrderId);
          this.orders.delete(e.clientOrderId);
        }
        return this.decide(this.strategy.onOrderEvent(ev));
      }
    }
  }

  private orderEvent(clientOrderId: string, status: OrderStatus, reason?: string): OrderEvent {
    const o = this.orders.get(clientOrderId);
    return {
      venue: this.opts.venue,
      account: this.opts.account,
      symbol: this.opts.symbol,
      clientOrderId,
      side: o?.side ?? 'buy',
      price: o?.price,
      qty: o?.qty ?? '0',
      filledQty: o ? toText(o.filled) : '0',
      status,
      reason,
      ts: this.now,
      strategy: this.opts.strategyId,
      slot: this.router.slotOf(clientOrderId),
    };
  }

  /** A wanted set from the strategy: risk judges it, the router works it. */
  private decide(wanted: WantedQuote[] | null): void {
    if (wanted === null) return;
    const markD = this.mark !== undefined ? dec(this.mark) : undefined;
    const decision = evaluateQuoteSet(
      {
        quotes: wanted,
        position: this.ledger.qty,
        market: { bestBid: this.bestBid !== undefined ? dec(this.bestBid) : undefined, bestAsk: this.bestAsk !== undefined ? dec(this.bestAsk) : undefined, mark: markD, stale: false, tsPublished: this.now },
        now: this.now,
        halted: false,
        previous: this.approved,
      },
      this.opts.risk,
    );
    for (const r of decision.rejects) this.rejects[r.rule] = (this.rejects[r.rule] ?? 0) + 1;
    if (this.approved !== undefined && sameSet(this.approved, decision.approved)) return;
    this.requotes++;
    this.approved = decision.approved;
    this.router.setWanted(decision.approved);
  }
}

function sameSet(a: readonly WantedQuote[], b: readonly WantedQuote[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.slot !== y.slot || x.side !== y.side || x.price !== y.price || x.qty !== y.qty || x.postOnly !== y.postOnly) return false;
  }
  return true;
}
