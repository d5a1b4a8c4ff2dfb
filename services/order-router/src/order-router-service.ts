import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { OrderCommand, RiskStateMessage, subjects, type Fill, type OrderEvent, type SetQuotesCommand, type Trace } from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import type { StateStore } from '@perpetua/state';
import type { TradingAdapter } from '@perpetua/venues';
import { ClientOrderIds } from './client-order-ids.js';
import { diffQuotes, type LiveSlotOrder } from './quote-diff.js';

export interface OrderRouterDeps {
  bus: Bus;
  adapter: TradingAdapter;
  store: StateStore;
  logger: Logger;
  registry: Registry;
  now?: () => number;
  /** Called with each order's trace when it has been sent (latency measurement). */
  onOrderSent?: (trace: Trace) => void;
}

export interface RouterStats {
  placed: number;
  cancelled: number;
  fills: number;
  rejected: number;
}

/**
 * Order router for one venue account: makes the venue's resting orders match
 * the latest approved quote set per symbol with the fewest calls, publishes
 * order events, and publishes every fill durably (de-duplicated by venue fill
 * id) so none is lost or counted twice.
 */
export class OrderRouterService {
  private sub: Subscription | undefined;
  private readonly ids = new ClientOrderIds();
  /** Live orders by symbol and slot. */
  private readonly live = new Map<string, Map<string, LiveSlotOrder>>();
  private readonly bySlotId = new Map<string, { symbol: string; slot: string }>();
  /** Latest command per symbol not yet worked on: newer sets replace older ones. */
  private readonly pending = new Map<string, SetQuotesCommand>();
  private readonly working = new Set<string>();
  private readonly fillQueue: Fill[] = [];
  private fillsFlushing: Promise<void> | undefined;
  private stopped = false;
  /** The kill switch: while set, every resting order is cancelled and nothing new is placed. */
  private halted = false;
  private riskSub: Subscription | undefined;
  readonly stats: RouterStats = { placed: 0, cancelled: 0, fills: 0, rejected: 0 };
  private readonly m: { placed: Counter; cancelled: Counter; fills: Counter; rejected: Counter; errors: Counter; live: Gauge; killCancels: Counter };

  constructor(private readonly deps: OrderRouterDeps) {
    const registers = [deps.registry];
    const labelNames = ['venue'];
    this.m = {
      placed: new Counter({ name: 'perpetua_router_orders_placed_total', help: 'Orders sent to the venue', labelNames, registers }),
      cancelled: new Counter({ name: 'perpetua_router_orders_cancelled_total', help: 'Cancels confirmed by the venue', labelNames, registers }),
      fills: new Counter({ name: 'perpetua_router_fills_total', help: 'Fills received and published', labelNames, registers }),
      rejected: new Counter({ name: 'perpetua_router_orders_rejected_total', help: 'Orders the venue rejected', labelNames, registers }),
      errors: new Counter({ name: 'perpetua_router_errors_total', help: 'Venue calls that failed', labelNames: ['venue', 'call'], registers }),
      live: new Gauge({ name: 'perpetua_router_live_orders', help: 'Orders resting on the venue that the router owns', labelNames, registers }),
      killCancels: new Counter({ name: 'perpetua_router_halt_cancels_total', help: 'Orders cancelled because trading was halted', labelNames, registers }),
    };
  }

  get venue(): string {
    return this.deps.adapter.venue;
  }

  async start(): Promise<void> {
    const { adapter, bus } = this.deps;
    await adapter.start({ onOrderEvent: (e) => this.onOrderEvent(e), onFill: (f) => this.onFill(f) });
    // A halt set while this router was down still holds: start halted.
    this.halted = (await this.deps.store.getHalt()).halted;
    await this.reconcile();
    this.riskSub = bus.subscribe(subjects.riskState(), RiskStateMessage, (st) => this.onRiskState(st));
    this.sub = bus.subscribe(subjects.orderCommand(adapter.venue), OrderCommand, (cmd) => this.onCommand(cmd));
  }

  /** Stops taking commands; with cancelOpen, pulls every resting order first. */
  async stop(options: { cancelOpen?: boolean } = {}): Promise<void> {
    this.stopped = true;
    this.sub?.unsubscribe();
    this.riskSub?.unsubscribe();
    if (options.cancelOpen) {
      try {
        await this.deps.adapter.cancelAll();
      } catch (err) {
        this.deps.logger.error({ err }, 'cancel-all on stop failed');
      }
    }
    await this.flushFills();
  }

  /**
   * On start the router owns nothing: whatever rests on the venue for this
   * account is an orphan of a previous run, so it is cancelled. Fills the
   * previous run missed are adopted by the adapter's own replay where it has one.
   */
  private async reconcile(): Promise<void> {
    const { adapter, logger } = this.deps;
    const orphans = await adapter.openOrders();
    if (orphans.length > 0) {
      logger.warn({ count: orphans.length }, 'cancelling orders left by a previous run');
      for (const o of orphans) await this.cancelQuietly(o.symbol, o.clientOrderId);
    }
    await this.deps.store.saveOpenOrders(adapter.venue, adapter.account, []);
  }

  private async cancelQuietly(symbol: string, clientOrderId: string): Promise<void> {
    try {
      await this.deps.adapter.cancelOrder(symbol, clientOrderId);
    } catch (err) {
      this.m.errors.inc({ venue: this.venue, call: 'cancel' });
      this.deps.logger.error({ err, clientOrderId }, 'cancel failed');
    }
  }

  /** risk.state carries the kill switch: on a halt, cancel everything at once. */
  private onRiskState(st: RiskStateMessage): void {
    if (st.halted === this.halted) return;
    this.halted = st.halted;
    if (!st.halted) {
      this.deps.logger.warn({ venue: this.venue }, 'halt lifted: quoting may resume');
      return;
    }
    this.pending.clear();
    this.deps.logger.warn({ venue: this.venue, reason: st.reason }, 'halted: cancelling every order on the venue');
    void this.cancelEverything();
  }

  private async cancelEverything(): Promise<void> {
    try {
      const n = await this.deps.adapter.cancelAll();
      this.m.killCancels.inc({ venue: this.venue }, n);
    } catch (err) {
      this.m.errors.inc({ venue: this.venue, call: 'cancel_all' });
      this.deps.logger.error({ err }, 'cancel-all on halt failed; retrying once');
      await this.deps.adapter.cancelAll().catch((e: unknown) => this.deps.logger.error({ err: e }, 'cancel-all on halt failed again'));
    }
    this.live.clear();
    this.bySlotId.clear();
    this.m.live.set({ venue: this.venue }, 0);
  }

  get isHalted(): boolean {
    return this.halted;
  }

  private onCommand(cmd: OrderCommand): void {
    if (this.stopped || this.halted) return;
    if (cmd.account !== this.deps.adapter.account) return;
    if (cmd.type === 'set_quotes') {
      this.pending.set(cmd.symbol, cmd);
      void this.work(cmd.symbol);
      return;
    }
    // place / cancel / cancel_all arrive with the arbitrage and kill-switch work.
    this.deps.logger.warn({ type: cmd.type }, 'command type not handled by this router yet');
  }

  /** One worker per symbol; it always takes the newest pending set. */
  private async work(symbol: string): Promise<void> {
    if (this.working.has(symbol)) return;
    this.working.add(symbol);
    try {
      for (let cmd = this.pending.get(symbol); cmd && !this.stopped; cmd = this.pending.get(symbol)) {
        this.pending.delete(symbol);
        await this.apply(cmd);
      }
    } catch (err) {
      this.deps.logger.error({ err, symbol }, 'applying a quote set failed');
    } finally {
      this.working.delete(symbol);
    }
  }

  private slots(symbol: string): Map<string, LiveSlotOrder> {
    let m = this.live.get(symbol);
    if (!m) {
      m = new Map();
      this.live.set(symbol, m);
    }
    return m;
  }

  private async apply(cmd: SetQuotesCommand): Promise<void> {
    const now = this.deps.now ?? Date.now;
    const received = now();
    const slots = this.slots(cmd.symbol);
    const diff = diffQuotes([...slots.values()], cmd.quotes);
    const { adapter } = this.deps;
    // Cancel first and wait: a slot is never allowed two live orders.
    await Promise.all(
      diff.cancel.map(async (o) => {
        try {
          await adapter.cancelOrder(cmd.symbol, o.clientOrderId);
          this.forget(o.clientOrderId);
        } catch (err) {
          this.m.errors.inc({ venue: this.venue, call: 'cancel' });
          this.deps.logger.error({ err, clientOrderId: o.clientOrderId }, 'cancel failed; slot kept until resolved');
        }
      }),
    );
    const blocked = new Set([...slots.keys()]);
    for (const q of diff.place) {
      if (blocked.has(q.slot)) continue; // its old order is still live (cancel failed)
      const clientOrderId = this.ids.next();
      const order: LiveSlotOrder = { slot: q.slot, clientOrderId, side: q.side, price: q.price, qty: q.qty };
      slots.set(q.slot, order);
      this.bySlotId.set(clientOrderId, { symbol: cmd.symbol, slot: q.slot });
      if (this.halted) break; // the kill switch landed while this set was being worked
      const result = await adapter.placeOrder({ clientOrderId, symbol: cmd.symbol, side: q.side, type: 'limit', price: q.price, qty: q.qty, tif: q.postOnly ? 'post_only' : 'gtc', reduceOnly: false });
      this.deps.onOrderSent?.({ ...cmd.trace, 'router.recv': received, 'router.sent': now() });
      // Placed while the halt's cancel-all was already under way: pull it now.
      if (this.halted && result.status !== 'rejected') await this.cancelQuietly(cmd.symbol, clientOrderId);
      if (result.status === 'accepted') {
        this.stats.placed++;
        this.m.placed.inc({ venue: this.venue });
        if (result.orderStatus !== 'new' && result.orderStatus !== 'partially_filled' && result.orderStatus !== 'pending') this.forget(clientOrderId);
      } else if (result.status === 'rejected') {
        this.stats.rejected++;
        this.m.rejected.inc({ venue: this.venue });
        this.forget(clientOrderId);
        this.deps.logger.debug({ clientOrderId, reason: result.reason }, 'order rejected');
      } else {
        // Unknown: keep the slot occupied; the order event or a query resolves it. Never re-send blindly.
        const found = await adapter.queryOrder(cmd.symbol, clientOrderId).catch(() => undefined);
        if (!found || ['canceled', 'rejected', 'expired', 'filled'].includes(found.status)) this.forget(clientOrderId);
      }
    }
    this.m.live.set({ venue: this.venue }, this.bySlotId.size);
  }

  private forget(clientOrderId: string): void {
    const ref = this.bySlotId.get(clientOrderId);
    if (!ref) return;
    this.bySlotId.delete(clientOrderId);
    const slots = this.live.get(ref.symbol);
    if (slots?.get(ref.slot)?.clientOrderId === clientOrderId) slots.delete(ref.slot);
  }

  private onOrderEvent(event: OrderEvent): void {
    if (event.status === 'canceled') {
      this.stats.cancelled++;
      this.m.cancelled.inc({ venue: this.venue });
    }
    if (['canceled', 'rejected', 'expired', 'filled'].includes(event.status)) this.forget(event.clientOrderId);
    const msgId = `${event.venue}:${event.clientOrderId}:${event.status}:${event.filledQty}`;
    this.deps.bus.publishDurable('orderEvents', subjects.orderEvent(event.venue), event, msgId).catch((err: unknown) => {
      this.deps.logger.error({ err }, 'publishing an order event failed');
    });
  }

  private onFill(fill: Fill): void {
    this.stats.fills++;
    this.m.fills.inc({ venue: this.venue });
    this.fillQueue.push(fill);
    void this.flushFills();
  }

  /** Publishes queued fills in order, retrying until the stream has stored each one. */
  private flushFills(): Promise<void> {
    if (this.fillsFlushing) return this.fillsFlushing;
    this.fillsFlushing = (async () => {
      let delay = 50;
      while (this.fillQueue.length > 0) {
        const fill = this.fillQueue[0]!;
        try {
          await this.deps.bus.publishDurable('fills', subjects.fill(fill.venue, fill.symbol), fill, `${fill.venue}:${fill.fillId}`);
          this.fillQueue.shift();
          delay = 50;
        } catch (err) {
          this.deps.logger.error({ err, fillId: fill.fillId }, 'publishing a fill failed; retrying');
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, 2000);
        }
      }
    })().finally(() => {
      this.fillsFlushing = undefined;
    });
    return this.fillsFlushing;
  }
}
