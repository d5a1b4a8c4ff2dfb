import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { BookMessage, Fill, MarkMessage, OrderEvent, PositionMessage, TradeMessage, subjects, traceTimeMs, type Clock, type Instrument, type QuoteIntent, type Trace } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import { StrategyInstance, YieldTracker, allowanceFor, createModel, hygieneOf, makerYieldRuleSets, type MakerYieldRuleSetName, type QuoteDecision, type StrategyParams } from '@perpetua/strategies';
import { QuoterMetrics } from './quoter-metrics.js';
import { OperatorModel, serveOperatorControls, type ControlledStrategy } from './operator-controls.js';

/** One strategy instance to host. */
export interface QuoterStrategyConfig {
  /** Instance id: names the intent and stats subjects and owns its quote slots at the router. */
  id: string;
  venue: string;
  account: string;
  symbol: string;
  params: StrategyParams;
  /** Largest |position| when the params set no max_position: the risk limit (base units). */
  maxPosition: string;
  /** Track the venue's market-maker programme (StandX) with these rules; unit and cap for symbols the rules do not list. */
  makerYield?: { ruleSet: MakerYieldRuleSetName; unit?: number; cap?: number };
}

/** The one position read the quoter needs from the state store: where a restarted quoter starts. */
export interface PositionSource {
  getPosition(venue: string, account: string, symbol: string): Promise<{ qty: string; avgEntry: string; funding: string } | null | undefined>;
}

export interface QuoterDeps {
  bus: Bus;
  /** The instrument of each strategy's venue and symbol. */
  instruments: (venue: string, symbol: string) => Instrument;
  logger: Logger;
  registry: Registry;
  clock: Clock;
  store?: PositionSource;
  /** How often hygiene timers are re-judged (cool-downs, order age, refresh time), ms. */
  tickMs?: number;
}

/**
 * Quoter: hosts strategy instances. Each hears its venue and symbol's book,
 * trades and mark, its own order events and fills, and its position; answers
 * with the full wanted set (published as a quote intent only when it changed
 * beyond the refresh tolerance); and publishes its figures every second on
 * strategy.stats.<id> and as metrics. It never talks to a venue, and every
 * timer runs on the clock it is handed, so a replay drives the same code.
 */
export class QuoterService {
  private readonly subs: Subscription[] = [];
  private readonly hosted: { config: QuoterStrategyConfig; instance: StrategyInstance; seq: number }[] = [];
  private readonly m: QuoterMetrics;
  private readonly controlled: ControlledStrategy[] = [];

  constructor(
    private readonly strategies: readonly QuoterStrategyConfig[],
    private readonly deps: QuoterDeps,
  ) {
    this.m = QuoterMetrics.of(deps.registry);
    for (const config of strategies) {
      const instrument = deps.instruments(config.venue, config.symbol);
      const hygiene = hygieneOf(config.params);
      const model = new OperatorModel(createModel(config.params, instrument));
      const instance = new StrategyInstance(
        { id: config.id, venue: config.venue, account: config.account, symbol: config.symbol, kind: config.params.kind },
        {
          model,
          instrument,
          clock: deps.clock,
          hygiene,
          maxPosition: String(hygiene.max_position ?? config.maxPosition),
          yieldTracker: this.yieldTracker(config, instrument),
        },
      );
      const hosted = { config, instance, seq: 0 };
      this.hosted.push(hosted);
      this.controlled.push({ id: config.id, params: config.params, instrument, model, hygiene, redecide: () => this.publish(hosted, instance.onTimer()) });
    }
  }

  private yieldTracker(config: QuoterStrategyConfig, instrument: Instrument): YieldTracker | undefined {
    if (!config.makerYield) return undefined;
    const rules = makerYieldRuleSets[config.makerYield.ruleSet];
    const allowance = allowanceFor(rules, instrument.base, { unit: config.makerYield.unit, cap: config.makerYield.cap });
    if (!allowance) {
      this.deps.logger.warn({ strategy: config.id, base: instrument.base }, 'no maker-yield unit and cap for this symbol (set yield_unit and yield_cap): not tracked');
      return undefined;
    }
    // The full multiplier's minutes as a share of the hour: what uptime must reach (sip5a: 42 min, 70%).
    const full = Math.max(...rules.uptime.map((u) => u.minMinutes));
    this.m.yieldTarget(config.id, (full / 60) * 100);
    return new YieldTracker({ strategyId: config.id, venue: config.venue, symbol: config.symbol, rules, allowance, awaitBegin: true });
  }

  /** The hosted instances (for a status line or a test). */
  instances(): readonly StrategyInstance[] {
    return this.hosted.map((h) => h.instance);
  }

  async start(): Promise<void> {
    const { bus, clock } = this.deps;
    this.subs.push(...serveOperatorControls(bus, this.controlled, this.deps.logger));
    for (const h of this.hosted) {
      const { venue, account, symbol, id } = h.config;
      // A restarted quoter begins from the booked position, not from zero.
      const stored = await this.deps.store?.getPosition(venue, account, symbol);
      if (stored) h.instance.startFrom(stored);
      const act = (d: QuoteDecision | null, trace?: Trace) => this.publish(h, d, trace);
      this.subs.push(
        bus.subscribe(subjects.book(venue, symbol), BookMessage, (b) => {
          const received = clock.now();
          act(h.instance.onBook(b), { ...b.trace, 'gw.pub': b.tsPublished, 'quoter.recv': received });
        }),
        bus.subscribe(subjects.trade(venue, symbol), TradeMessage, (t) => act(h.instance.onTrade(t))),
        bus.subscribe(subjects.mark(venue, symbol), MarkMessage, (m) => act(h.instance.onMark(m))),
        bus.subscribe(subjects.orderEvent(venue), OrderEvent, (e) => act(h.instance.onOrderEvent(e))),
        bus.subscribe(subjects.fill(venue, symbol), Fill, (f) => act(h.instance.onFill(f))),
        bus.subscribe(subjects.position(venue, account, symbol), PositionMessage, (p) => act(h.instance.onPosition(p))),
      );
      clock.setTimer(`quoter:tick:${id}`, this.deps.tickMs ?? 250, () => act(h.instance.onTimer()));
      clock.setTimer(`quoter:stats:${id}`, 1000, () => this.publishStats(h));
    }
  }

  /** Stops listening; the instances' last sets stay with the routers (which pull them on their own stop). */
  stop(): void {
    for (const s of this.subs) s.unsubscribe();
    this.subs.length = 0;
    for (const h of this.hosted) {
      this.deps.clock.cancelTimer(`quoter:tick:${h.config.id}`);
      this.deps.clock.cancelTimer(`quoter:stats:${h.config.id}`);
    }
  }

  private publish(h: (typeof this.hosted)[number], d: QuoteDecision | null, trace?: Trace): void {
    if (!d) return;
    const { config } = h;
    const intent: QuoteIntent = {
      intentId: `${config.id}-${++h.seq}`,
      strategy: config.id,
      venue: config.venue,
      account: config.account,
      symbol: config.symbol,
      quotes: d.quotes,
      bookSeq: d.bookSeq,
      ...(d.mid !== undefined ? { mid: d.mid } : {}),
      ts: d.ts,
      ...(trace ? { trace: { ...trace, 'quoter.pub': this.deps.clock.now(), ...(trace['gw.hr'] !== undefined ? { 'quoter.hr': traceTimeMs() } : {}) } } : {}),
    };
    const from = trace?.['gw.hr'];
    const to = intent.trace?.['quoter.hr'];
    if (from !== undefined && to !== undefined) this.m.tickToIntent.observe({ strategy: config.id }, Math.max(0, to - from) / 1000);
    this.deps.bus.publish(subjects.quoteIntent(config.id), intent);
    this.m.intents.inc({ strategy: config.id });
    this.m.requotes.inc({ strategy: config.id, reason: d.reason });
  }

  private publishStats(h: (typeof this.hosted)[number]): void {
    const stats = h.instance.snapshot();
    this.deps.bus.publish(subjects.strategyStats(h.config.id), stats);
    this.m.observe(stats);
    const standing = h.instance.yieldReport();
    if (standing) {
      this.deps.bus.publish(subjects.strategyYield(h.config.id), standing);
      this.m.observeYield(standing);
    }
  }
}
