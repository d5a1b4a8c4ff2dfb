import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  ArbOpportunityMessage,
  BboMessage,
  D,
  Fill,
  OrderEvent,
  OrderIntentReply,
  ZERO,
  dec,
  patterns,
  snapPrice,
  subjects,
  toText,
  trySnapQty,
  type ArbEpisodeMessage,
  type ArbEpisodeOutcome,
  type ArbLegReport,
  type ArbLegRole,
  type Decimal,
  type Instrument,
  type OrderIntent,
  type Side,
} from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import { averagePrice, nextHedgeStep, offsetByBps, planEntry, summariseEpisode, type HedgeState, type LegOrder } from '@perpetua/arb';
import { ArbExecutionMetrics } from './arb-execution-metrics.js';

export interface ArbExecutionConfig {
  /** Strategy name on the intents (intent.order.<strategy>) and in risk's rejects. */
  strategy: string;
  /** The venue account the routers trade (every leg goes to the same account name). */
  account: string;
  /** Largest quantity per episode, per canonical symbol (base, decimal text). */
  maxQty: Record<string, string>;
  defaultMaxQty: string;
  /** Entry legs' limits: this far past the detected VWAPs. */
  slippageBps: number;
  /** Completion and unwind limits: this far past the venue's touch, widened on each unwind try. */
  hedgeSlippageBps: number;
  /** Net base quantity that counts as flat. */
  tolerance: string;
  maxUnwindTries: number;
  /** How long a leg may take to reach a final status. */
  legTimeoutMs: number;
  /** After the final status, how long to wait for its fills to arrive on the fill stream. */
  fillSettleMs: number;
  /** Pause between episodes: the books show our own trades before the next decision. */
  cooldownMs: number;
  /** An opportunity event older than this is not acted on. */
  maxSignalAgeMs: number;
  riskTimeoutMs: number;
}

export const ARB_EXECUTION_DEFAULTS: ArbExecutionConfig = {
  strategy: 'arb',
  account: 'paper',
  maxQty: {},
  defaultMaxQty: '0.01',
  slippageBps: 5,
  hedgeSlippageBps: 20,
  tolerance: '0',
  maxUnwindTries: 3,
  legTimeoutMs: 5_000,
  fillSettleMs: 2_000,
  cooldownMs: 1_000,
  maxSignalAgeMs: 500,
  riskTimeoutMs: 2_000,
};

export interface ArbExecutorDeps {
  bus: Bus;
  logger: Logger;
  registry: Registry;
  /** The venue's instrument (tick, lot, minimums), or undefined when its gateway has not published it. */
  instrument: (venue: string, symbol: string) => Promise<Instrument | undefined>;
  now?: () => number;
}

const FINAL: ReadonlySet<string> = new Set(['filled', 'canceled', 'expired', 'rejected']);

/** One order of an episode as it is being worked: its final event and its fills, by venue fill id. */
interface LiveLeg {
  episodeId: string;
  role: ArbLegRole;
  order: LegOrder;
  symbol: string;
  clientOrderId: string;
  final?: { status: ArbLegReport['status']; filledQty: Decimal; reason?: string };
  eventFilled: Decimal;
  fills: Map<string, Fill>;
  listeners: Set<() => void>;
  reported: boolean;
}

/**
 * Executes arbitrage opportunities (config `arb.execute: true`), one episode at a
 * time: both legs as IOC orders, each asked of risk (intent.order.arb, a request)
 * and sent by the venue's router; their outcomes come back as order events and
 * fills. A one-legged result is repaired by the rule in libs/arb (complete the short
 * leg on its venue once, then unwind the excess where it filled), and every episode
 * is published on arb.episode.<symbol> with its realized edge. Exposure it cannot
 * remove pauses execution: nothing more is traded until an operator restarts it.
 */
export class ArbExecutor {
  readonly config: ArbExecutionConfig;
  private readonly m: ArbExecutionMetrics;
  private readonly subs: Subscription[] = [];
  private readonly legs = new Map<string, LiveLeg>();
  private readonly tops = new Map<string, BboMessage>();
  private readonly session = randomBytes(3).toString('hex');
  private seq = 0;
  private legSeq = 0;
  private busy: Promise<void> | undefined;
  private cooldownUntil = 0;
  private pausedReason: string | undefined;
  private stopped = false;
  readonly episodes: ArbEpisodeMessage[] = [];

  constructor(config: Partial<ArbExecutionConfig>, private readonly deps: ArbExecutorDeps) {
    this.config = { ...ARB_EXECUTION_DEFAULTS, ...config };
    this.m = ArbExecutionMetrics.of(deps.registry);
    this.m.paused.set(0);
  }

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  get paused(): string | undefined {
    return this.pausedReason;
  }

  start(): void {
    const { bus } = this.deps;
    this.subs.push(bus.subscribe(patterns.allArbOpportunities, ArbOpportunityMessage, (o) => this.onOpportunity(o)));
    this.subs.push(bus.subscribe(patterns.allBbo, BboMessage, (b) => void this.tops.set(`${b.venue}\u0000${b.symbol}`, b)));
    this.subs.push(bus.subscribe(patterns.allOrderEvents, OrderEvent, (e) => this.onOrderEvent(e)));
    this.subs.push(bus.subscribe(patterns.allFills, Fill, (f) => this.onFill(f)));
    this.deps.logger.warn({ strategy: this.config.strategy, account: this.config.account, tolerance: this.config.tolerance }, 'arbitrage execution is ON: opportunities are traded');
  }

  /** Stops taking opportunities; an episode in progress is finished (its hedge included). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.busy;
    for (const s of this.subs) s.unsubscribe();
    this.subs.length = 0;
  }

  private onOpportunity(o: ArbOpportunityMessage): void {
    if (o.event === 'closed' || this.stopped) return;
    const skip = this.pausedReason !== undefined ? 'paused' : this.busy ? 'busy' : this.now < this.cooldownUntil ? 'cooldown' : this.now - o.ts > this.config.maxSignalAgeMs ? 'old' : undefined;
    if (skip) {
      this.m.skipped.inc({ reason: skip });
      return;
    }
    this.busy = this.runEpisode(o)
      .catch((err: unknown) => {
        this.pause(`episode failed: ${err instanceof Error ? err.message : String(err)}`);
        this.deps.logger.error({ err }, 'arbitrage episode failed');
      })
      .finally(() => {
        this.busy = undefined;
        this.cooldownUntil = this.now + this.config.cooldownMs;
      });
  }

  private async runEpisode(o: ArbOpportunityMessage): Promise<void> {
    const c = this.config;
    const [buyInst, sellInst] = await Promise.all([this.deps.instrument(o.buyVenue, o.symbol), this.deps.instrument(o.sellVenue, o.symbol)]);
    if (!buyInst || !sellInst) {
      this.m.skipped.inc({ reason: 'instrument' });
      return;
    }
    const plan = planEntry(o, buyInst, sellInst, { maxQty: c.maxQty[o.symbol] ?? c.defaultMaxQty, slippageBps: c.slippageBps });
    if (!plan.ok) {
      this.m.skipped.inc({ reason: 'plan' });
      this.deps.logger.debug({ symbol: o.symbol, reason: plan.reason }, 'opportunity not executed');
      return;
    }
    const episodeId = `${this.session}-${(++this.seq).toString(36)}`;
    const startedAt = this.now;
    this.deps.logger.info({ episodeId, symbol: o.symbol, buy: plan.buy, sell: plan.sell, netEdge: o.netEdge }, 'arbitrage episode: sending both legs');
    const legs = await Promise.all([this.runLeg(episodeId, 'buy', o.symbol, plan.buy), this.runLeg(episodeId, 'sell', o.symbol, plan.sell)]);

    const tolerance = dec(c.tolerance);
    const st: HedgeState = { buyVenue: o.buyVenue, sellVenue: o.sellVenue, bought: filledOf(legs[0]!), sold: filledOf(legs[1]!), completeTried: false, unwindTries: 0 };
    let step = nextHedgeStep(st, { tolerance, maxUnwindTries: c.maxUnwindTries });
    while (step.kind === 'complete' || step.kind === 'unwind') {
      const inst = step.venue === o.buyVenue ? buyInst : sellInst;
      if (step.kind === 'complete') st.completeTried = true;
      else st.unwindTries++;
      const qty = trySnapQty(inst, toText(step.qty));
      const reference = this.touch(step.venue, o.symbol, step.side) ?? (step.venue === o.buyVenue ? plan.buy.price : plan.sell.price);
      if (qty !== null) {
        const widen = step.kind === 'unwind' ? st.unwindTries : 1;
        const price = snapPrice(inst, step.side, offsetByBps(reference, c.hedgeSlippageBps * widen, step.side === 'buy' ? 1 : -1), 'passive');
        this.deps.logger.warn({ episodeId, step: step.kind, venue: step.venue, side: step.side, qty, price, residual: toText(step.residual) }, 'one-legged: repairing');
        const leg = await this.runLeg(episodeId, step.kind, o.symbol, { venue: step.venue, side: step.side, price, qty });
        legs.push(leg);
        if (step.side === 'buy') st.bought = D.add(st.bought, filledOf(leg));
        else st.sold = D.add(st.sold, filledOf(leg));
      } else {
        this.deps.logger.warn({ episodeId, venue: step.venue, qty: toText(step.qty), minQty: inst.minQty }, 'residual is below the venue minimum: cannot be traded there');
      }
      step = nextHedgeStep(st, { tolerance, maxUnwindTries: c.maxUnwindTries });
    }

    const summary = summariseEpisode(
      legs.map((l) => ({ side: l.side, filledQty: dec(l.filledQty), notional: notionalOf(l), fee: dec(l.fee) })),
      tolerance,
    );
    const filledAny = legs.some((l) => dec(l.filledQty) > 0n);
    const filledRole = (role: ArbLegRole) => legs.some((l) => l.role === role && dec(l.filledQty) > 0n);
    const outcome: ArbEpisodeOutcome =
      step.kind === 'give_up' ? 'unhedged' : !filledAny ? 'nothing_filled' : filledRole('unwind') ? 'unwound' : filledRole('complete') ? 'hedged' : 'complete';
    const episode: ArbEpisodeMessage = {
      episodeId,
      symbol: o.symbol,
      buyVenue: o.buyVenue,
      sellVenue: o.sellVenue,
      detected: { netEdge: o.netEdge, qty: o.qty, netProfit: o.netProfit },
      legs,
      outcome,
      matchedQty: toText(summary.matchedQty),
      residual: toText(summary.residual),
      cashFlow: toText(summary.cashFlow),
      ...(summary.realizedEdge !== undefined ? { realizedEdge: summary.realizedEdge } : {}),
      startedAt,
      durationMs: this.now - startedAt,
      ts: this.now,
    };
    this.m.episodes.inc({ outcome });
    this.episodes.push(episode);
    if (this.episodes.length > 100) this.episodes.shift();
    this.deps.bus.publish(subjects.arbEpisode(o.symbol), episode);
    if (outcome === 'unhedged') {
      this.pause(`episode ${episodeId} left ${toText(summary.residual)} ${o.symbol} unhedged`);
      this.deps.logger.error({ episode }, 'arbitrage episode left exposure: execution paused');
    } else {
      this.deps.logger.info({ episodeId, outcome, matchedQty: episode.matchedQty, cashFlow: episode.cashFlow, realizedEdge: episode.realizedEdge }, 'arbitrage episode done');
    }
  }

  /** The venue's touch a hedge would trade against (ask to buy, bid to sell), when a fresh one is known. */
  private touch(venue: string, symbol: string, side: Side): string | undefined {
    const b = this.tops.get(`${venue}\u0000${symbol}`);
    const level = side === 'buy' ? b?.ask : b?.bid;
    return b && !b.stale && level ? String(level[0]) : undefined;
  }

  /** Asks risk for one IOC, then follows it to its final status and fills. Never throws: the report says what happened. */
  private async runLeg(episodeId: string, role: ArbLegRole, symbol: string, order: LegOrder): Promise<ArbLegReport> {
    const c = this.config;
    const clientOrderId = `arb-${episodeId}-${role.slice(0, 1)}${(++this.legSeq).toString(36)}`.slice(0, 32);
    const leg: LiveLeg = { episodeId, role, order, symbol, clientOrderId, eventFilled: ZERO, fills: new Map(), listeners: new Set(), reported: false };
    this.legs.set(clientOrderId, leg);
    // Legs stay known for a while after their episode so a late fill is noticed; the oldest go.
    if (this.legs.size > 256) this.legs.delete(this.legs.keys().next().value!);
    const intent: OrderIntent = {
      intentId: clientOrderId,
      strategy: c.strategy,
      venue: order.venue,
      account: c.account,
      symbol,
      clientOrderId,
      side: order.side,
      price: order.price,
      qty: order.qty,
      tif: 'ioc',
      reduceOnly: false,
      ts: this.now,
    };
    let reply: OrderIntentReply | undefined;
    let noAnswer: string | undefined;
    try {
      reply = await this.deps.bus.request(subjects.orderIntent(c.strategy), intent, OrderIntentReply, { timeoutMs: c.riskTimeoutMs });
    } catch (err) {
      // Risk may still have approved it: follow the order as if sent; the timeout settles it.
      noAnswer = `risk did not answer: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (reply && !reply.approved) {
      leg.final = { status: 'refused', filledQty: ZERO, reason: `${reply.rule}: ${reply.detail}` };
    } else {
      await this.waitFor(leg, () => leg.final !== undefined, c.legTimeoutMs);
      // The order event can overtake its fills (different streams): wait for them to add up.
      await this.waitFor(leg, () => leg.final !== undefined && fillsQty(leg) >= leg.eventFilled, c.fillSettleMs);
    }
    leg.reported = true;
    const filled = D.max(leg.eventFilled, fillsQty(leg));
    const fills = [...leg.fills.values()];
    const notional = fills.reduce<Decimal>((s, f) => D.add(s, D.mul(dec(f.qty), dec(f.price))), ZERO);
    const fee = fills.reduce<Decimal>((s, f) => D.add(s, dec(f.fee)), ZERO);
    const status = leg.final?.status ?? (filled > 0n ? 'partially_filled' : 'timeout');
    const reasons = [leg.final?.reason, noAnswer, fillsQty(leg) < filled ? 'not every fill seen: price and fee cover the fills seen' : undefined].filter((r): r is string => r !== undefined);
    this.m.legs.inc({ role, status });
    const avg = averagePrice({ filledQty: fillsQty(leg), notional });
    return {
      role,
      venue: order.venue,
      side: order.side,
      clientOrderId,
      price: order.price,
      qty: order.qty,
      filledQty: toText(filled),
      ...(avg !== undefined ? { avgPrice: avg } : {}),
      fee: toText(fee),
      status,
      ...(reasons.length > 0 ? { reason: reasons.join('; ').slice(0, 500) } : {}),
    };
  }

  private waitFor(leg: LiveLeg, done: () => boolean, ms: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        leg.listeners.delete(check);
        resolve();
      };
      const check = () => {
        if (done()) finish();
      };
      const timer = setTimeout(finish, ms);
      leg.listeners.add(check);
    });
  }

  private onOrderEvent(e: OrderEvent): void {
    const leg = this.legs.get(e.clientOrderId);
    if (!leg || e.venue !== leg.order.venue) return;
    const filled = dec(e.filledQty);
    if (filled > leg.eventFilled) leg.eventFilled = filled;
    if (FINAL.has(e.status) && leg.final === undefined) {
      leg.final = { status: e.status as ArbLegReport['status'], filledQty: filled, ...(e.reason ? { reason: e.reason } : {}) };
    }
    for (const l of [...leg.listeners]) l();
  }

  private onFill(f: Fill): void {
    const leg = this.legs.get(f.clientOrderId);
    if (!leg || f.venue !== leg.order.venue || leg.fills.has(f.fillId)) return;
    leg.fills.set(f.fillId, f);
    if (leg.reported) {
      // Reported already: the episode's numbers are wrong by this fill, and so may be the exposure.
      this.pause(`fill ${f.fillId} of ${leg.clientOrderId} arrived after episode ${leg.episodeId} was reported`);
      this.deps.logger.error({ fill: f }, 'late fill on an arbitrage leg: execution paused');
    }
    for (const l of [...leg.listeners]) l();
  }

  private pause(reason: string): void {
    this.pausedReason ??= reason;
    this.m.paused.set(1);
  }
}

function fillsQty(leg: LiveLeg): Decimal {
  let q = ZERO;
  for (const f of leg.fills.values()) q = D.add(q, dec(f.qty));
  return q;
}

function filledOf(l: ArbLegReport): Decimal {
  return dec(l.filledQty);
}

function notionalOf(l: ArbLegReport): Decimal {
  // Fills not all seen: the unseen part is valued at the seen fills' average, or at the limit when none was seen.
  const filled = dec(l.filledQty);
  if (filled === 0n) return ZERO;
  const avg = l.avgPrice === undefined ? dec(l.price) : dec(l.avgPrice);
  return D.mul(filled, avg);
}
