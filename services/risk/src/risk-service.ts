import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { Fill, QuoteIntent, dec, subjects, patterns, type Decimal, type PositionMessage, type RiskRejectMessage, type RiskStateMessage, type SetQuotesCommand } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import type { StateStore, Position } from '@perpetua/state';
import { checkQuoteSet, type RiskLimits } from '@perpetua/risk';

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
 * quote set is checked by pure rules against the position it could create;
 * fills from the durable stream are booked into the state store exactly once,
 * and each booked change is published on position.<account>.<symbol>.
 */
export class RiskService {
  private subs: Subscription[] = [];
  private readonly positions = new Map<string, Decimal>();
  private halted = false;
  private haltReason: string | undefined;
  private commandSeq = 0;
  private stateTimer: NodeJS.Timeout | undefined;
  private readonly rejects: Counter;
  private readonly approved: Counter;
  private readonly fillsBooked: Counter;
  private readonly duplicateFills: Counter;
  private readonly haltedGauge: Gauge;
  private readonly rejectCounts: Record<string, number> = {};

  constructor(private readonly deps: RiskDeps) {
    const registers = [deps.registry];
    this.rejects = new Counter({ name: 'perpetua_risk_rejects_total', help: 'Quotes refused by risk, by rule', labelNames: ['rule'], registers });
    this.approved = new Counter({ name: 'perpetua_risk_commands_total', help: 'Approved order commands sent to routers', labelNames: ['venue'], registers });
    this.fillsBooked = new Counter({ name: 'perpetua_risk_fills_booked_total', help: 'Fills applied to positions', labelNames: ['venue'], registers });
    this.duplicateFills = new Counter({ name: 'perpetua_risk_duplicate_fills_total', help: 'Fills seen again and ignored (idempotency)', labelNames: ['venue'], registers });
    this.haltedGauge = new Gauge({ name: 'perpetua_risk_halted', help: '1 while trading is halted', registers });
  }

  async start(): Promise<void> {
    const halt = await this.deps.store.getHalt();
    this.halted = halt.halted;
    this.haltReason = halt.reason;
    const { bus } = this.deps;
    this.subs.push(bus.subscribe(patterns.allQuoteIntents, QuoteIntent, (intent) => this.onIntent(intent)));
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

  private async onIntent(intent: QuoteIntent): Promise<void> {
    const now = this.deps.now ?? Date.now;
    const received = now();
    const position = await this.positionOf(intent.venue, intent.account, intent.symbol);
    const decision = checkQuoteSet(intent.quotes, position, this.deps.limits, this.halted);
    for (const r of decision.rejects) {
      this.rejects.inc({ rule: r.rule });
      this.rejectCounts[r.rule] = (this.rejectCounts[r.rule] ?? 0) + 1;
      const msg: RiskRejectMessage = { source: intent.strategy, venue: intent.venue, symbol: intent.symbol, rule: r.rule, detail: `${r.slot}: ${r.detail}`, ts: now() };
      this.deps.bus.publish(subjects.riskReject(), msg);
    }
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

  private async onFill(fill: Fill): Promise<void> {
    const result = await this.deps.store.applyFill(fill);
    if (!result.applied) {
      this.duplicateFills.inc({ venue: fill.venue });
      return;
    }
    this.fillsBooked.inc({ venue: fill.venue });
    this.positions.set(this.key(fill.venue, fill.account, fill.symbol), dec(result.position.qty));
    this.deps.bus.publish(subjects.position(fill.account, fill.symbol), toPositionMessage(result.position, (this.deps.now ?? Date.now)()));
  }

  private publishState(): void {
    this.haltedGauge.set(this.halted ? 1 : 0);
    const usage: Record<string, number> = {};
    for (const [k, v] of this.positions) usage[`position:${k.split('\u0000').join(':')}`] = Number(v);
    const state: RiskStateMessage = {
      halted: this.halted,
      reason: this.haltReason,
      limits: { maxPosition: Number(this.deps.limits.maxPosition), maxOrderSize: Number(this.deps.limits.maxOrderSize) },
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
