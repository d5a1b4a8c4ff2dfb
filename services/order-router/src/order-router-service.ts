import { OrderCommand, RiskStateMessage, WallClock, subjects, type OrderEvent } from '@perpetua/core';
import type { Subscription } from '@perpetua/bus';
import { FillPublisher } from './fill-publisher.js';
import { ImmediateOrders } from './immediate-orders.js';
import { KillSwitch } from './kill-switch.js';
import { QuoteSetWorker } from './quote-set-worker.js';
import { strategyOfBook, symbolOfBook } from './quote-book-key.js';
import type { LiveSlotOrder } from './quote-diff.js';
import { OpenOrdersSnapshot, openOrderEvents, type ImmediateOrder, type QuoteBookOrders } from './reconcile/open-orders-snapshot.js';
import { ReconcileScheduler } from './reconcile/reconcile-scheduler.js';
import { VenueReconciliation, type ReconcileHost } from './reconcile/venue-reconciliation.js';
import { FundingBooker } from './funding/funding-booker.js';
import { RouterContext, type OrderRouterDeps, type RouterStats } from './router-context.js';
import { VenueOrderEvents } from './venue-order-events.js';

export type { OrderRouterDeps, ReconcileOptions, RouterStats } from './router-context.js';

/** Command ids remembered for de-duplication. */
const SEEN_COMMANDS_MAX = 10_000;

/**
 * Order router for one venue account: makes the venue's resting orders match
 * the latest approved quote set of each strategy and symbol with the fewest calls, publishes
 * order events, and publishes every fill durably (de-duplicated by venue fill
 * id) so none is lost or counted twice. This class only wires the parts and routes commands to them.
 */
export class OrderRouterService {
  private readonly ctx: RouterContext;
  private readonly events: VenueOrderEvents;
  private readonly fills: FillPublisher;
  private readonly reconciliation: VenueReconciliation;
  private readonly reconciler: ReconcileScheduler;
  private readonly snapshot: OpenOrdersSnapshot;
  private readonly quotes: QuoteSetWorker;
  private readonly immediate: ImmediateOrders;
  private readonly killSwitch: KillSwitch;
  private funding: FundingBooker | undefined;
  private sub: Subscription | undefined;
  private riskSub: Subscription | undefined;
  /** Command ids already acted on (bounded): a command delivered twice places once. */
  private readonly seenCommands = new Set<string>();

  constructor(deps: OrderRouterDeps) {
    this.ctx = new RouterContext(deps);
    this.events = new VenueOrderEvents(this.ctx);
    this.fills = new FillPublisher(this.ctx);
    this.quotes = new QuoteSetWorker(this.ctx);
    this.immediate = new ImmediateOrders(this.ctx, this.events);
    this.killSwitch = new KillSwitch(this.ctx, this.quotes);
    const clock = deps.clock ?? new WallClock();
    const { venue, account } = deps.adapter;
    this.reconciliation = new VenueReconciliation({ ...deps, clock, metrics: this.ctx.m, options: deps.reconcile ?? {}, host: this.reconcileHost() });
    this.reconciler = new ReconcileScheduler({
      clock,
      name: `reconcile:${venue}:${account}`,
      intervalMs: deps.reconcile?.intervalMs ?? 60_000,
      run: (trigger) => this.reconciliation.run(trigger),
      onError: (err, trigger) => deps.logger.error({ err, trigger }, 'reconciliation failed'),
    });
    this.snapshot = new OpenOrdersSnapshot({ ...deps, clock, venue, account, current: () => this.openOrders(clock.now()) });
  }

  get venue(): string {
    return this.ctx.venue;
  }

  get stats(): RouterStats {
    return this.ctx.stats;
  }

  get isHalted(): boolean {
    return this.killSwitch.isHalted;
  }

  async start(): Promise<void> {
    const { adapter, bus } = this.ctx.deps;
    await adapter.start({
      onOrderEvent: (e) => this.events.onOrderEvent(e),
      onFill: (f) => this.fills.onFill(f),
      // Events of the gap may be lost: a reconnect is reconciled at once.
      // Funding settled meanwhile has no stream event either: it is read now too.
      onStreamStatus: (state) => {
        if (state !== 'connected') return;
        this.reconciler.request('reconnect');
        void this.funding?.poll();
      },
    });
    await this.killSwitch.restoreHalt();
    const first = this.reconciliation.ordersAndFills('start');
    // Positions agree only once risk has booked the adopted fills: checked while quoting goes on.
    this.reconciler.start(first.then((report) => this.reconciliation.finish(report)));
    await first;
    this.riskSub = bus.subscribe(subjects.riskState(), RiskStateMessage, (st) => this.killSwitch.onRiskState(st));
    this.sub = bus.subscribe(subjects.orderCommand(adapter.venue), OrderCommand, (cmd) => this.onCommand(cmd));
    this.snapshot.start();
    if (this.ctx.deps.funding !== false) this.funding = new FundingBooker({ ...this.ctx.deps, clock: this.ctx.deps.clock ?? new WallClock(), options: this.ctx.deps.funding });
    void this.funding?.start();
  }

  /** Stops taking commands; with cancelOpen, pulls every resting order first. */
  async stop(options: { cancelOpen?: boolean } = {}): Promise<void> {
    this.ctx.stopped = true;
    await this.funding?.stop();
    this.sub?.unsubscribe();
    this.riskSub?.unsubscribe();
    // A set being worked may still place an order: let it finish (bounded) so the cancel-all comes after it.
    await Promise.race([this.quotes.idle(), new Promise((r) => setTimeout(r, 5_000).unref())]);
    let cleared = false;
    if (options.cancelOpen) {
      try {
        await this.ctx.deps.adapter.cancelAll();
        cleared = true;
      } catch (err) {
        this.ctx.deps.logger.error({ err }, 'cancel-all on stop failed');
      }
    }
    await this.fills.flush();
    await this.reconciler.stop();
    await this.snapshot.stop(cleared);
  }

  /** What reconciliation may see and do of this router. */
  private reconcileHost(): ReconcileHost {
    const { ctx } = this;
    return {
      ownedOrders: () => [...ctx.orders.all()].map((o) => ({ clientOrderId: o.clientOrderId, symbol: o.symbol })),
      isOwned: (id) => ctx.orders.owns(id),
      activeSymbols: () => [...ctx.tradedSymbols],
      publishFill: (f) => this.fills.publish(f),
      orderEvent: (e) => this.events.onOrderEvent(e),
      cancel: (symbol, id) => ctx.cancelQuietly(symbol, id),
      setPositionHalt: (reason) => this.killSwitch.setPositionHalt(reason),
      isStopped: () => ctx.stopped,
    };
  }

  /** The orders the router owns now, as the open-orders snapshot keeps them. */
  private openOrders(ts: number): OrderEvent[] {
    const books = new Map<string, QuoteBookOrders & { orders: LiveSlotOrder[] }>();
    const immediate: Array<[string, ImmediateOrder]> = [];
    for (const o of this.ctx.orders.all()) {
      if (o.owner.kind === 'quote' && o.quote) {
        let b = books.get(o.owner.book);
        if (!b) books.set(o.owner.book, (b = { strategy: strategyOfBook(o.owner.book), symbol: symbolOfBook(o.owner.book), orders: [] }));
        b.orders.push(o.quote);
      } else if (o.owner.kind === 'immediate' && o.immediate) immediate.push([o.clientOrderId, { symbol: o.symbol, ...o.immediate }]);
    }
    return openOrderEvents(this.ctx.venue, this.ctx.account, ts, books.values(), immediate);
  }

  private onCommand(cmd: OrderCommand): void {
    if (this.ctx.stopped || cmd.account !== this.ctx.account) return;
    if (this.ctx.halted) {
      if (cmd.type === 'place') this.immediate.refuseHalted(cmd);
      return;
    }
    if (cmd.type === 'set_quotes' || cmd.type === 'place') this.ctx.tradedSymbols.add(cmd.symbol);
    if (cmd.type === 'set_quotes') {
      this.quotes.onSetQuotes(cmd);
      return;
    }
    if (this.seenCommands.has(cmd.commandId)) return;
    this.seenCommands.add(cmd.commandId);
    if (this.seenCommands.size > SEEN_COMMANDS_MAX) this.seenCommands.delete(this.seenCommands.values().next().value!);
    if (cmd.type === 'place') void this.immediate.place(cmd);
    else if (cmd.type === 'cancel') void this.immediate.cancel(cmd);
    else void this.killSwitch.onCancelAll(cmd);
  }
}
