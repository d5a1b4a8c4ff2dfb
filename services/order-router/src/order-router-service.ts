import { OrderCommand, RiskStateMessage, subjects } from '@perpetua/core';
import type { Subscription } from '@perpetua/bus';
import { FillPublisher } from './fill-publisher.js';
import { ImmediateOrders } from './immediate-orders.js';
import { KillSwitch } from './kill-switch.js';
import { QuoteSetWorker } from './quote-set-worker.js';
import { Reconciliation } from './reconciliation.js';
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
  private readonly reconciliation: Reconciliation;
  private readonly quotes: QuoteSetWorker;
  private readonly immediate: ImmediateOrders;
  private readonly killSwitch: KillSwitch;
  private sub: Subscription | undefined;
  private riskSub: Subscription | undefined;
  /** Command ids already acted on (bounded): a command delivered twice places once. */
  private readonly seenCommands = new Set<string>();
  private positionCheck: Promise<void> | undefined;

  constructor(deps: OrderRouterDeps) {
    this.ctx = new RouterContext(deps);
    this.events = new VenueOrderEvents(this.ctx);
    this.fills = new FillPublisher(this.ctx);
    this.reconciliation = new Reconciliation(this.ctx, this.fills);
    this.quotes = new QuoteSetWorker(this.ctx);
    this.immediate = new ImmediateOrders(this.ctx, this.events);
    this.killSwitch = new KillSwitch(this.ctx, this.quotes);
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
    await adapter.start({ onOrderEvent: (e) => this.events.onOrderEvent(e), onFill: (f) => this.fills.onFill(f) });
    await this.killSwitch.restoreHalt();
    const { positionsChecked } = await this.reconciliation.reconcileOnStart();
    this.positionCheck = positionsChecked;
    this.riskSub = bus.subscribe(subjects.riskState(), RiskStateMessage, (st) => this.killSwitch.onRiskState(st));
    this.sub = bus.subscribe(subjects.orderCommand(adapter.venue), OrderCommand, (cmd) => this.onCommand(cmd));
  }

  /** Stops taking commands; with cancelOpen, pulls every resting order first. */
  async stop(options: { cancelOpen?: boolean } = {}): Promise<void> {
    this.ctx.stopped = true;
    this.sub?.unsubscribe();
    this.riskSub?.unsubscribe();
    // A set being worked may still place an order: let it finish (bounded) so the cancel-all comes after it.
    await Promise.race([this.quotes.idle(), new Promise((r) => setTimeout(r, 5_000).unref())]);
    if (options.cancelOpen) {
      try {
        await this.ctx.deps.adapter.cancelAll();
      } catch (err) {
        this.ctx.deps.logger.error({ err }, 'cancel-all on stop failed');
      }
    }
    await this.fills.flush();
    await this.positionCheck;
  }

  private onCommand(cmd: OrderCommand): void {
    if (this.ctx.stopped || cmd.account !== this.ctx.account) return;
    if (this.ctx.halted) {
      if (cmd.type === 'place') this.immediate.refuseHalted(cmd);
      return;
    }
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
