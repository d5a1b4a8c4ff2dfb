import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { RiskGauges } from './risk-gauges.js';
import { BboMessage, Fill, toNumber, KillRequest, MarkMessage, OrderIntent, QuoteIntent, ResetRequest, StatusRequest, D, ZERO, dec, subjects, patterns, type Decimal, type HaltReply, type WantedQuote, type PositionMessage, type RiskRejectMessage, type RiskStateMessage, type SetQuotesCommand, type OrderIntentReply, type PlaceOrderCommand } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import type { StateStore, Position } from '@perpetua/state';
import { DailyLossTracker, OrderRateWindow, evaluateOrder, evaluateQuoteSet, type MarketView, type OtherPosition, type OtherQuote, type QuoteSetContext, type RiskLimits } from '@perpetua/risk';

export interface RiskDeps {
  bus: Bus;
  store: StateStore;
  limits: RiskLimits;
  logger: Logger;
  registry: Registry;
  /** Durable consumer name for the fills stream; one per risk deployment. */
  fillsConsumer?: string;
  now?: () => number;
}

/**
 * Risk: the only path from a strategy's intent to an order command. Every
 * quote set (intent.quote.*) and every immediate order (intent.order.*, a
 * request) is checked by pure rules against the position it could create;
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
  /** Last approved set per venue/symbol and strategy: self-trade, open orders, order rate. */
  private readonly approvedSets = new Map<string, Map<string, readonly WantedQuote[]>>();
  private readonly positionRecords = new Map<string, Position>();
  private readonly rate: OrderRateWindow | undefined;
  private readonly dailyLoss = new DailyLossTracker();
  private readonly gauges: RiskGauges;

  constructor(private readonly deps: RiskDeps) {
    const registers = [deps.registry];
    this.rejects = new Counter({ name: 'perpetua_risk_rejects_total', help: 'Quotes refused by risk, by rule', labelNames: ['rule'], registers });
    this.approved = new Counter({ name: 'perpetua_risk_commands_total', help: 'Approved order commands sent to routers', labelNames: ['venue'], registers });
    this.fillsBooked = new Counter({ name: 'perpetua_risk_fills_booked_total', help: 'Fills applied to positions', labelNames: ['venue'], registers });
    this.duplicateFills = new Counter({ name: 'perpetua_risk_duplicate_fills_total', help: 'Fills seen again and ignored (idempotency)', labelNames: ['venue'], registers });
    this.haltedGauge = new Gauge({ name: 'perpetua_risk_halted', help: '1 while trading is halted', registers });
    this.rate = deps.limits.maxOrdersPerSecond !== undefined ? new OrderRateWindow(deps.limits.maxOrdersPerSecond) : undefined;
    this.gauges = new RiskGauges(deps.registry, deps.limits);
  }

  async start(): Promise<void> {
    const halt = await this.deps.store.getHalt();
    this.halted = halt.halted;
    this.haltReason = halt.reason;
    this.haltSince = halt.since;
    const { bus } = this.deps;
    for (const p of await this.deps.store.listPositions()) this.positionRecords.set(this.key(p.venue, p.account, p.symbol), p);
    this.subs.push(bus.subscribe(patterns.allBbo, BboMessage, (b) => this.onBbo(b)));
    this.subs.push(bus.subscribe(patterns.allMarks, MarkMessage, (m) => this.onMark(m)));
    this.subs.push(bus.subscribe(patterns.allQuoteIntents, QuoteIntent, (intent) => this.onIntent(intent)));
    this.subs.push(bus.serve(patterns.allOrderIntents, OrderIntent, (intent) => this.onOrderIntent(intent)));
    this.subs.push(bus.serve(subjects.control('risk', 'kill'), KillRequest, (r) => this.kill(r.reason, r.by)));
    this.subs.push(bus.serve(subjects.control('risk', 'reset'), ResetRequest, (r) => this.reset(r.reason, r.by)));
    this.subs.push(bus.serve(subjects.control('risk', 'status'), StatusRequest, () => this.haltReply()));
    this.subs.push(await bus.consumeDurable('fills', this.deps.fillsConsumer ?? 'risk-positions', Fill, (fill) => this.onFill(fill)));
    this.stateTimer = setInterval(() => this.publishState(), 1000);
    this.stateTimer.unref();
    this.publishState();
  }

  async stop(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
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
    const setKey = `${intent.venue}\u0000${intent.symbol}`;
    const sets = this.approvedSets.get(setKey) ?? new Map<string, readonly WantedQuote[]>();
    const context = await this.judgedAgainst(intent, received, intent.strategy);
    const decision = evaluateQuoteSet({ ...context, quotes: intent.quotes, previous: sets.get(intent.strategy) }, this.deps.limits);
    if (this.rate && decision.placements > 0) this.rate.tryTake(intent.venue, decision.placements, received);
    sets.set(intent.strategy, decision.approved);
    this.approvedSets.set(setKey, sets);
    for (const r of decision.rejects) this.refuse(intent, r.rule, `${r.slot}: ${r.detail}`);
    const command: SetQuotesCommand = {
      type: 'set_quotes',
      commandId: `risk-${process.pid}-${++this.commandSeq}`,
      venue: intent.venue,
      account: intent.account,
      strategy: intent.strategy,
      symbol: intent.symbol,
      intentId: intent.intentId,
      quotes: decision.approved,
      ts: now(),
      trace: { ...intent.trace, 'risk.recv': received, 'risk.pub': now() },
    };
    this.deps.bus.publish(subjects.orderCommand(intent.venue), command);
    this.approved.inc({ venue: intent.venue });
  }

  /**
   * One immediate order (an arbitrage leg, hedge or unwind), asked as a request:
   * judged by the same rules as quotes against every strategy's resting quotes on
   * that venue and symbol; approved, it goes to the venue's router as a place
   * command with the strategy's client order id, and the reply says so.
   */
  private async onOrderIntent(intent: OrderIntent): Promise<OrderIntentReply> {
    const now = this.deps.now ?? Date.now;
    const received = now();
    const decision = evaluateOrder({ side: intent.side, price: intent.price, qty: intent.qty }, await this.judgedAgainst(intent, received), this.deps.limits);
    if (!decision.approved) {
      this.refuse(intent, decision.rule, `${intent.clientOrderId}: ${decision.detail}`);
      return { approved: false, rule: decision.rule, detail: decision.detail };
    }
    this.rate?.tryTake(intent.venue, 1, received);
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
   * positions, the market, every other strategy's resting quotes (all of them, for an order that
   * belongs to no quote set), the halt and the order-rate budget.
   */
  private async judgedAgainst(on: { venue: string; account: string; symbol: string }, now: number, exceptStrategy?: string): Promise<Omit<QuoteSetContext, 'quotes' | 'previous'>> {
    return {
      position: await this.positionOf(on.venue, on.account, on.symbol),
      otherPositions: this.otherPositions(this.key(on.venue, on.account, on.symbol)),
      market: this.marketView(on.venue, on.symbol),
      now,
      otherQuotes: this.restingQuotes(on.venue, on.symbol, exceptStrategy),
      halted: this.halted,
      haltReason: this.haltReason,
      ordersAvailable: this.rate?.available(on.venue, now),
    };
  }

  /** Every strategy's approved quotes on a venue and symbol (but `except`'s own): what self-trade and open-order rules see. */
  private restingQuotes(venue: string, symbol: string, except?: string): OtherQuote[] {
    const out: OtherQuote[] = [];
    for (const [strategy, quotes] of this.approvedSets.get(`${venue}\u0000${symbol}`) ?? []) {
      if (strategy !== except) for (const q of quotes) out.push({ strategy, slot: q.slot, side: q.side, price: q.price });
    }
    return out;
  }

  /** Counts a refusal and publishes it on risk.reject with its rule and numbers. */
  private refuse(from: { strategy: string; venue: string; symbol: string }, rule: string, detail: string): void {
    this.rejects.inc({ rule });
    this.rejectCounts[rule] = (this.rejectCounts[rule] ?? 0) + 1;
    const msg: RiskRejectMessage = { source: from.strategy, venue: from.venue, symbol: from.symbol, rule, detail, ts: (this.deps.now ?? Date.now)() };
    this.deps.bus.publish(subjects.riskReject(), msg);
  }

  private async onFill(fill: Fill): Promise<void> {
    const result = await this.deps.store.applyFill(fill);
    if (!result.applied) {
      this.duplicateFills.inc({ venue: fill.venue });
      return;
    }
    this.fillsBooked.inc({ venue: fill.venue });
    this.positions.set(this.key(fill.venue, fill.account, fill.symbol), dec(result.position.qty));
    this.positionRecords.set(this.key(fill.venue, fill.account, fill.symbol), result.position);
    this.deps.bus.publish(subjects.position(fill.venue, fill.account, fill.symbol), toPositionMessage(result.position, (this.deps.now ?? Date.now)()));
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
    this.gauges.update({ positions: this.positionRecords.values(), markOf: (v, s) => this.markOf(v, s), daily: this.dailyLoss.state(), rate: this.rate, venues, now });
    const usage: Record<string, number> = {};
    // Positions are exact decimals (scaled bigints): shown as base units, never as the raw scaled integer.
    for (const [k, v] of this.positions) usage[`position:${k.split('\u0000').join(':')}`] = toNumber(v);
    const state: RiskStateMessage = {
      halted: this.halted,
      reason: this.haltReason,
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
