import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { RiskGauges } from './risk-gauges.js';
import { counterOn, gaugeOn } from './registered-metric.js';
import { OrderExposureFeed } from './order-exposure-feed.js';
import { BboMessage, Fill, FundingPayment, RouterReconcileReport, allRouterReconcilePattern, type AccountHalt, toNumber, KillRequest, MarkMessage, OrderIntent, QuoteIntent, ResetRequest, StatusRequest, D, ZERO, dec, subjects, patterns, type Decimal, type HaltReply, type PositionMessage, type RiskRejectMessage, type RiskStateMessage, type SetQuotesCommand, type OrderIntentReply, type PlaceOrderCommand } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import { KeyedSerialQueue, type StateStore, type Position } from '@perpetua/state';
import { DailyLossTracker, OrderRateWindow, evaluateOrder, evaluateQuoteSet, type MarketView, type OrderExposureCacheOptions, type OtherPosition, type QuoteSetContext, type RiskLimits } from '@perpetua/risk';

export interface RiskDeps {
  bus: Bus;
  store: StateStore;
  limits: RiskLimits;
  logger: Logger;
  registry: Registry;
  /** Durable consumer name for the fills stream; one per risk deployment. */
  fillsConsumer?: string;
  now?: () => number;
  /** Bounds of the order cache (in-flight timeout, caps). */
  orderCache?: OrderExposureCacheOptions;
}

/**
 * Risk: the only path from a strategy's intent to an order command. Every
 * quote set (intent.quote.*) and every immediate order (intent.order.*, a
 * request) is checked by pure rules against the position it could create
 * with everything resting or in flight (the routers' order events) filling;
 * fills from the durable stream are booked into the state store exactly once,
 * and each booked change is published on position.<venue>.<account>.<symbol>.
 */
export class RiskService {
  private subs: Subscription[] = [];
  private readonly positions = new Map<string, Decimal>();
  private halted = false;
  private haltReason: string | undefined;
  private haltSince: number | undefined;
  private commandSeq = 0;
  private stateTimer: NodeJS.Timeout | undefined;
  private readonly rejects: Counter;
  private readonly approved: Counter;
  private readonly fillsBooked: Counter;
  private readonly duplicateFills: Counter;
  private readonly haltedGauge: Gauge;
  private readonly rejectCounts: Record<string, number> = {};
  /** Latest top of book and mark per venue/symbol: the market every intent is judged against. */
  private readonly markets = new Map<string, { bid?: number; ask?: number; stale: boolean; tsPublished: number; mark?: number }>();
  /** What rests and is in flight (order events + approvals): self-trade, position and open-order worst cases, order rate. */
  private readonly orders: OrderExposureFeed;
  private readonly positionRecords = new Map<string, Position>();
  /** Store reads and writes of one position, one at a time (fills, funding). */
  private readonly positionUpdates = new KeyedSerialQueue();
  private readonly rate: OrderRateWindow | undefined;
  private readonly dailyLoss = new DailyLossTracker();
  private readonly gauges: RiskGauges;
  /** Venue accounts halted alone by their router (a position difference beyond tolerance), by venue and account; one each. */
  private readonly accountHalts = new Map<string, AccountHalt>();

  constructor(private readonly deps: RiskDeps) {
    const registry = deps.registry;
    this.rejects = counterOn(registry, { name: 'perpetua_risk_rejects_total', help: 'Quotes refused by risk, by rule', labelNames: ['rule'] });
    this.approved = counterOn(registry, { name: 'perpetua_risk_commands_total', help: 'Approved order commands sent to routers', labelNames: ['venue'] });
    this.fillsBooked = counterOn(registry, { name: 'perpetua_risk_fills_booked_total', help: 'Fills applied to positions', labelNames: ['venue'] });
    this.duplicateFills = counterOn(registry, { name: 'perpetua_risk_duplicate_fills_total', help: 'Fills seen again and ignored (idempotency)', labelNames: ['venue'] });
    this.haltedGauge = gaugeOn(registry, { name: 'perpetua_risk_halted', help: '1 while trading is halted' });
    this.rate = deps.limits.maxOrdersPerSecond !== undefined ? new OrderRateWindow(deps.limits.maxOrdersPerSecond) : undefined;
    this.gauges = new RiskGauges(deps.registry, deps.limits);
    this.orders = new OrderExposureFeed(deps.bus, deps.registry, deps.orderCache);
  }

  async start(): Promise<void> {
    const halt = await this.deps.store.getHalt();
    this.halted = halt.halted;
    this.haltReason = halt.reason;
    this.haltSince = halt.since;
    const { bus } = this.deps;
    for (const p of await this.deps.store.listPositions()) this.positionRecords.set(this.key(p.venue, p.account, p.symbol), p);
    this.orders.start();
    this.subs.push(bus.subscribe(patterns.allBbo, BboMessage, (b) => this.onBbo(b)));
    this.subs.push(bus.subscribe(patterns.allMarks, MarkMessage, (m) => this.onMark(m)));
    this.subs.push(bus.subscribe(patterns.allQuoteIntents, QuoteIntent, (intent) => this.onIntent(intent)));
    this.subs.push(bus.subscribe(allRouterReconcilePattern, RouterReconcileReport, (r) => this.onReconcileReport(r)));
    this.subs.push(bus.serve(patterns.allOrderIntents, OrderIntent, (intent) => this.onOrderIntent(intent)));
    this.subs.push(bus.serve(subjects.control('risk', 'kill'), KillRequest, (r) => this.kill(r.reason, r.by)));
    this.subs.push(bus.serve(subjects.control('risk', 'reset'), ResetRequest, (r) => this.reset(r.reason, r.by)));
    this.subs.push(bus.serve(subjects.control('risk', 'status'), StatusRequest, () => this.haltReply()));
    this.subs.push(await bus.consumeDurable('fills', this.deps.fillsConsumer ?? 'risk-positions', Fill, (fill) => this.onFill(fill)));
    this.subs.push(bus.subscribe(patterns.allFunding, FundingPayment, (p) => this.onFunding(p)));
    this.stateTimer = setInterval(() => this.publishState(), 1000);
    this.stateTimer.unref();
    this.publishState();
  }

  async stop(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
    this.orders.stop();
    if (this.stateTimer) clearInterval(this.stateTimer);
  }

  /**
   * The kill switch: halt in the store first (so a restarted risk or router
   * stays halted), then tell everyone at once on risk.state; every router
   * cancels all its orders on seeing it, and risk approves nothing until reset.
   */
  async kill(reason: string, by?: string): Promise<HaltReply> {
    const since = (this.deps.now ?? Date.now)();
    await this.deps.store.setHalt({ halted: true, reason, since });
    this.halted = true;
    this.haltReason = reason;
    this.haltSince = since;
    this.deps.logger.warn({ reason, by }, 'KILL SWITCH: trading halted, every router cancels all orders');
    this.publishState();
    return this.haltReply();
  }

  async reset(reason: string, by?: string): Promise<HaltReply> {
    await this.deps.store.setHalt({ halted: false });
    this.halted = false;
    this.haltReason = undefined;
    this.haltSince = undefined;
    this.deps.logger.warn({ reason, by }, 'kill switch reset: trading may resume');
    this.publishState();
    return this.haltReply();
  }

  /** A router's reconciliation: its account's halt (or its lifting) goes on risk.state at once. */
  private onReconcileReport(r: RouterReconcileReport): void {
    const k = `${r.venue}\u0000${r.account}`;
    const had = this.accountHalts.get(k);
    if (r.halt) {
      if (had?.reason === r.halt.reason) return;
      this.accountHalts.set(k, { venue: r.venue, account: r.account, reason: r.halt.reason, since: r.halt.since });
      this.deps.logger.warn({ venue: r.venue, account: r.account, reason: r.halt.reason }, 'account halted by its router');
    } else {
      if (!had) return;
      this.accountHalts.delete(k);
      this.deps.logger.warn({ venue: r.venue, account: r.account }, 'account halt lifted by its router');
    }
    this.publishState();
  }

  private haltReply(): HaltReply {
    return { halted: this.halted, ...(this.haltReason ? { reason: this.haltReason } : {}), ...(this.haltSince ? { since: this.haltSince } : {}) };
  }

  private key(venue: string, account: string, symbol: string): string {
    return `${venue}\u0000${account}\u0000${symbol}`;
  }

  private async positionOf(venue: string, account: string, symbol: string): Promise<Decimal> {
    const k = this.key(venue, account, symbol);
    const cached = this.positions.get(k);
    if (cached !== undefined) return cached;
    const p = await this.deps.store.getPosition(venue, account, symbol);
    const qty = dec(p?.qty ?? '0');
    this.positions.set(k, qty);
    return qty;
  }

  private onBbo(b: BboMessage): void {
    const k = `${b.venue}\u0000${b.symbol}`;
    const m = this.markets.get(k);
    this.markets.set(k, { bid: b.bid?.[0], ask: b.ask?.[0], stale: b.stale, tsPublished: b.tsPublished, mark: m?.mark });
  }

  private onMark(mk: MarkMessage): void {
    const k = `${mk.venue}\u0000${mk.symbol}`;
    const m = this.markets.get(k) ?? { stale: true, tsPublished: 0 };
    m.mark = mk.markPrice;
    this.markets.set(k, m);
  }

  /** The market an intent is judged against; prices become exact decimals here, once. */
  private marketView(venue: string, symbol: string): MarketView | undefined {
    const m = this.markets.get(`${venue}\u0000${symbol}`);
    if (!m) return undefined;
    const exact = (x: number | undefined) => (x === undefined ? undefined : dec(String(x)));
    return { bestBid: exact(m.bid), bestAsk: exact(m.ask), mark: exact(m.mark), stale: m.stale, tsPublished: m.tsPublished };
  }

  private markOf(venue: string, symbol: string): number | undefined {
    const m = this.markets.get(`${venue}\u0000${symbol}`);
    return m?.mark ?? (m?.bid !== undefined && m.ask !== undefined ? (m.bid + m.ask) / 2 : undefined);
  }

  private otherPositions(except: string): OtherPosition[] {
    const out: OtherPosition[] = [];
    for (const [k, p] of this.positionRecords) {
      const mark = this.markOf(p.venue, p.symbol);
      if (k !== except && mark !== undefined && dec(p.qty) !== 0n) out.push({ venue: p.venue, symbol: p.symbol, position: dec(p.qty), mark: dec(String(mark)) });
    }
    return out;
  }

  private async onIntent(intent: QuoteIntent): Promise<void> {
    const now = this.deps.now ?? Date.now;
    const received = now();
    const position = await this.positionOf(intent.venue, intent.account, intent.symbol);
    // From here to the approval's record nothing awaits: no other intent is judged in between.
    const context = this.judgedAgainst(intent, position, received, intent.strategy);
    const decision = evaluateQuoteSet({ ...context, quotes: intent.quotes }, this.deps.limits);
    if (this.rate && decision.placements > 0) this.rate.tryTake(intent.venue, decision.placements, received);
    this.orders.approvedQuotes(intent, decision.approved, received);
    for (const r of decision.rejects) this.refuse(intent, r.rule, `${r.slot}: ${r.detail}`);
    const command: SetQuotesCommand = {
      type: 'set_quotes',
      commandId: `risk-${process.pid}-${++this.commandSeq}`,
      venue: intent.venue,
      account: intent.account,
      strategy: intent.strategy,
      symbol: intent.symbol,
      intentId: intent.intentId,
      // A refused move keeps its resting order (evaluateQuoteSet's keep), so the router does not empty the side.
      quotes: [...decision.approved, ...decision.keep],
      ts: now(),
      trace: { ...intent.trace, 'risk.recv': received, 'risk.pub': now() },
    };
    this.deps.bus.publish(subjects.orderCommand(intent.venue), command);
    this.approved.inc({ venue: intent.venue });
  }

  /**
   * One immediate order (an arbitrage leg, hedge or unwind), asked as a request:
   * judged by the same rules as quotes against everything resting or in flight on
   * that venue, account and symbol (other legs included); approved, it goes to the venue's router as a place
   * command with the strategy's client order id, and the reply says so.
   */
  private async onOrderIntent(intent: OrderIntent): Promise<OrderIntentReply> {
    const now = this.deps.now ?? Date.now;
    const received = now();
    const position = await this.positionOf(intent.venue, intent.account, intent.symbol);
    // From here to the approval's record nothing awaits: a second leg is judged with this one in flight.
    const decision = evaluateOrder({ side: intent.side, price: intent.price, qty: intent.qty }, this.judgedAgainst(intent, position, received), this.deps.limits);
    if (!decision.approved) {
      this.refuse(intent, decision.rule, `${intent.clientOrderId}: ${decision.detail}`);
      return { approved: false, rule: decision.rule, detail: decision.detail };
    }
    this.rate?.tryTake(intent.venue, 1, received);
    this.orders.approvedOrder(intent, received);
    const command: PlaceOrderCommand = {
      type: 'place',
      commandId: `risk-${process.pid}-${++this.commandSeq}`,
      venue: intent.venue,
      account: intent.account,
      clientOrderId: intent.clientOrderId,
      symbol: intent.symbol,
      side: intent.side,
      orderType: 'limit',
      price: intent.price,
      qty: intent.qty,
      tif: intent.tif,
      reduceOnly: intent.reduceOnly,
      ts: now(),
      trace: { ...intent.trace, 'risk.recv': received, 'risk.pub': now() },
    };
    this.deps.bus.publish(subjects.orderCommand(intent.venue), command);
    this.approved.inc({ venue: intent.venue });
    return { approved: true, commandId: command.commandId };
  }

  /**
   * What an intent on a venue, account and symbol is judged against: the position, the other
   * positions, the market, everything resting or in flight there (and other strategies' quotes on
   * the venue and symbol, for self-trade), the halt and the order-rate budget. `strategy` is set
   * for a quote set, whose own live orders are recognised as the quotes they are.
   */
  private judgedAgainst(on: { venue: string; account: string; symbol: string }, position: Decimal, now: number, strategy?: string): Omit<QuoteSetContext, 'quotes' | 'previous'> {
    return {
      position,
      otherPositions: this.otherPositions(this.key(on.venue, on.account, on.symbol)),
      market: this.marketView(on.venue, on.symbol),
      now,
      ...this.orders.contextFor(on, now, strategy),
      halted: this.halted || this.accountHalts.has(`${on.venue}\u0000${on.account}`),
      haltReason: this.haltReason ?? this.accountHalts.get(`${on.venue}\u0000${on.account}`)?.reason,
      ordersAvailable: this.rate?.available(on.venue, now),
    };
  }

  /** Counts a refusal and publishes it on risk.reject with its rule and numbers. */
  private refuse(from: { strategy: string; venue: string; symbol: string }, rule: string, detail: string): void {
    this.rejects.inc({ rule });
    this.rejectCounts[rule] = (this.rejectCounts[rule] ?? 0) + 1;
    const msg: RiskRejectMessage = { source: from.strategy, venue: from.venue, symbol: from.symbol, rule, detail, ts: (this.deps.now ?? Date.now)() };
    this.deps.bus.publish(subjects.riskReject(), msg);
  }

  private onFill(fill: Fill): Promise<void> {
    return this.positionUpdates.run(this.key(fill.venue, fill.account, fill.symbol), async () => {
      const result = await this.deps.store.applyFill(fill);
      if (!result.applied) {
        this.duplicateFills.inc({ venue: fill.venue });
        return;
      }
      this.fillsBooked.inc({ venue: fill.venue });
      this.takePosition(result.position);
    });
  }

  /**
   * A router booked a funding payment into the store: the position is read back (the store is the truth)
   * so PnL and the daily loss count it. Serialized with fills per position, so an older read never
   * replaces a newer one.
   */
  private onFunding(p: FundingPayment): Promise<void> {
    return this.positionUpdates.run(this.key(p.venue, p.account, p.symbol), async () => {
      const position = await this.deps.store.getPosition(p.venue, p.account, p.symbol);
      if (position) this.takePosition(position);
    });
  }

  private takePosition(position: Position): void {
    const k = this.key(position.venue, position.account, position.symbol);
    this.positions.set(k, dec(position.qty));
    this.positionRecords.set(k, position);
    this.deps.bus.publish(subjects.position(position.venue, position.account, position.symbol), toPositionMessage(position, (this.deps.now ?? Date.now)()));
  }

  /** Equity change since the day started: realized PnL less fees and funding, plus unrealized at the marks. */
  private equity(): Decimal | undefined {
    let total = ZERO;
    for (const p of this.positionRecords.values()) {
      let pnl = D.sub(D.sub(dec(p.realizedPnl), dec(p.fees)), dec(p.funding));
      const qty = dec(p.qty);
      if (qty !== 0n) {
        const mark = this.markOf(p.venue, p.symbol);
        if (mark === undefined) return undefined; // no mark: no honest equity, no judgement
        pnl = D.add(pnl, D.mul(qty, D.sub(dec(String(mark)), dec(p.avgEntry))));
      }
      total = D.add(total, pnl);
    }
    return total;
  }

  /** Daily loss and drawdown: a breach pulls the kill switch, with the numbers as the reason. */
  private checkDailyLoss(): void {
    if (this.halted || (this.deps.limits.maxDailyLoss === undefined && this.deps.limits.maxDrawdown === undefined)) return;
    const equity = this.equity();
    if (equity === undefined) return;
    this.dailyLoss.observe(equity, (this.deps.now ?? Date.now)());
    const breach = this.dailyLoss.breach(this.deps.limits);
    if (!breach) return;
    this.rejects.inc({ rule: breach.rule });
    this.rejectCounts[breach.rule] = (this.rejectCounts[breach.rule] ?? 0) + 1;
    void this.kill(`${breach.rule}: ${breach.detail}`, 'risk');
  }

  private publishState(): void {
    this.checkDailyLoss();
    this.haltedGauge.set(this.halted ? 1 : 0);
    const now = (this.deps.now ?? Date.now)();
    const venues = new Set([...this.markets.keys()].map((k) => k.split('\u0000')[0]!));
    this.orders.updateMetrics(now);
    this.gauges.update({ positions: this.positionRecords.values(), markOf: (v, s) => this.markOf(v, s), daily: this.dailyLoss.state(), rate: this.rate, venues, now });
    const usage: Record<string, number> = {};
    // Positions are exact decimals (scaled bigints): shown as base units, never as the raw scaled integer.
    for (const [k, v] of this.positions) usage[`position:${k.split('\u0000').join(':')}`] = toNumber(v);
    const state: RiskStateMessage = {
      halted: this.halted,
      reason: this.haltReason,
      ...(this.accountHalts.size > 0 ? { accountHalts: [...this.accountHalts.values()] } : {}),
      limits: Object.fromEntries(Object.entries(this.deps.limits).flatMap(([k, v]) => (v === undefined ? [] : [[k, Number(v)]]))),
      usage,
      rejects: { ...this.rejectCounts },
      ts: (this.deps.now ?? Date.now)(),
    };
    this.deps.bus.publish(subjects.riskState(), state);
  }
}

export function toPositionMessage(p: Position, ts: number): PositionMessage {
  return { venue: p.venue, account: p.account, symbol: p.symbol, qty: p.qty, avgEntry: p.avgEntry, realizedPnl: p.realizedPnl, fees: p.fees, funding: p.funding, fills: p.fills, ts };
}
