import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  OrderCommand,
  RiskStateMessage,
  RouterReconcileReport,
  routerReconcileSubject,
  routerOrderTraceSubject,
  subjects,
  type Fill,
  type OrderEvent,
  type PositionDifference,
  type CancelAllCommand,
  type CancelOrderCommand,
  type PlaceOrderCommand,
  type SetQuotesCommand,
  type Trace,
  type WantedQuote,
  dec,
  WallClock,
  type Clock,
} from '@perpetua/core';
import type { Bus, Subscription } from '@perpetua/bus';
import type { StateStore } from '@perpetua/state';
import type { AmendResult, TradingAdapter } from '@perpetua/venues';
import { ClientOrderIds } from './client-order-ids.js';
import { RouterMetrics } from './router-metrics.js';
import { positionDifferences } from './position-differences.js';
import { diffQuotes, type LiveSlotOrder } from './quote-diff.js';
import { FundingBooker, type FundingBookerOptions } from './funding/funding-booker.js';

export interface OrderRouterDeps {
  bus: Bus;
  adapter: TradingAdapter;
  store: StateStore;
  logger: Logger;
  registry: Registry;
  now?: () => number;
  /** Called with each order's trace when it has been sent (latency measurement). */
  onOrderSent?: (trace: Trace) => void;
  /** Publish each sent order's trace with its client order id on router.trace.<venue> (telemetry.publishOrderTraces). */
  publishOrderTraces?: boolean;
  reconcile?: ReconcileOptions;
  /** The funding booker's timer clock (default the wall clock). */
  clock?: Clock;
  /** Funding booking (funding/funding-booker.ts); false turns it off. */
  funding?: FundingBookerOptions | false;
}

export interface ReconcileOptions {
  /** With no fill watermark stored yet, fills are adopted from this far back (default 24 h). */
  lookbackMs?: number;
  /** Fills are asked for from this long before the watermark: fills of several streams publish out of order (default 60 s). */
  marginMs?: number;
  /** How long positions may take to agree once adopted fills are published (risk books them), before a difference is reported (default 10 s). */
  settleMs?: number;
}

const OPEN: ReadonlySet<string> = new Set(['pending', 'new', 'partially_filled']);
const CLOSED: ReadonlySet<string> = new Set(['canceled', 'rejected', 'expired', 'filled']);
/** Queries that resolve an 'unknown' place: tries and the pause before each retry. */
const UNKNOWN_QUERY_TRIES = 3;
const UNKNOWN_QUERY_PAUSE_MS = 250;

export interface RouterStats {
  placed: number;
  cancelled: number;
  /** Quote orders changed in place (one amend call instead of a cancel and a place). */
  amended: number;
  fills: number;
  rejected: number;
  /** Places refused by the venue's rate limit (not in `rejected`). */
  rateLimited: number;
}

/**
 * Order router for one venue account: makes the venue's resting orders match
 * the latest approved quote set of each strategy and symbol with the fewest calls, publishes
 * order events, and publishes every fill durably (de-duplicated by venue fill
 * id) so none is lost or counted twice.
 */
export class OrderRouterService {
  private sub: Subscription | undefined;
  private readonly ids = new ClientOrderIds();
  /**
   * Live orders per quote book (a strategy's quotes on one symbol, keyed by
   * quoteBookKey) and slot: two strategies quoting one symbol each keep their own.
   */
  private readonly live = new Map<string, Map<string, LiveSlotOrder>>();
  private readonly bySlotId = new Map<string, { book: string; slot: string }>();
  /** Latest command per quote book not yet worked on: newer sets replace older ones. */
  private readonly pending = new Map<string, SetQuotesCommand>();
  /** The worker of each quote book while it runs: stop() waits for them before its cancel-all. */
  private readonly workers = new Map<string, Promise<void>>();
  private readonly fillQueue: Fill[] = [];
  private fillsFlushing: Promise<void> | undefined;
  private stopped = false;
  /** The kill switch: while set, every resting order is cancelled and nothing new is placed. */
  private halted = false;
  private riskSub: Subscription | undefined;
  /** Immediate orders (place commands) not yet final, by client order id → symbol: owned, so never cancelled as strays. */
  private readonly immediate = new Map<string, string>();
  /** Command ids already acted on (bounded): a command delivered twice places once. */
  private readonly seenCommands = new Set<string>();
  /** Open orders on the venue that the router does not own, being cancelled (each once). */
  private readonly strayCancels = new Set<string>();
  private positionCheck: Promise<void> | undefined;
  readonly stats: RouterStats = { placed: 0, cancelled: 0, amended: 0, fills: 0, rejected: 0, rateLimited: 0 };
  /** Until when (router clock) the venue asked us to slow down: quote sets are worked again after it. */
  private rateLimitedUntil = 0;
  private readonly m: RouterMetrics;
  private funding: FundingBooker | undefined;

  constructor(private readonly deps: OrderRouterDeps) {
    // One set per registry: several routers (one per venue) may share a process and its registry.
    this.m = RouterMetrics.of(deps.registry);
  }

  get venue(): string {
    return this.deps.adapter.venue;
  }

  async start(): Promise<void> {
    const { adapter, bus } = this.deps;
    await adapter.start({ onOrderEvent: (e) => this.onOrderEvent(e), onFill: (f) => this.onFill(f), onReconnect: () => void this.funding?.poll() });
    // A halt set while this router was down still holds: start halted.
    this.halted = (await this.deps.store.getHalt()).halted;
    const report = await this.reconcile();
    this.riskSub = bus.subscribe(subjects.riskState(), RiskStateMessage, (st) => this.onRiskState(st));
    this.sub = bus.subscribe(subjects.orderCommand(adapter.venue), OrderCommand, (cmd) => this.onCommand(cmd));
    // Positions agree only once risk has booked the adopted fills: checked while quoting goes on.
    this.positionCheck = this.checkPositions(report);
    if (this.deps.funding !== false) this.funding = new FundingBooker({ ...this.deps, clock: this.deps.clock ?? new WallClock(), options: this.deps.funding });
    void this.funding?.start();
  }

  /** Stops taking commands; with cancelOpen, pulls every resting order first. */
  async stop(options: { cancelOpen?: boolean } = {}): Promise<void> {
    this.stopped = true;
    await this.funding?.stop();
    this.sub?.unsubscribe();
    this.riskSub?.unsubscribe();
    // A set being worked may still place an order: let it finish (bounded) so the cancel-all comes after it.
    await Promise.race([Promise.allSettled([...this.workers.values()]), new Promise((r) => setTimeout(r, 5_000).unref())]);
    if (options.cancelOpen) {
      try {
        await this.deps.adapter.cancelAll();
      } catch (err) {
        this.deps.logger.error({ err }, 'cancel-all on stop failed');
      }
    }
    await this.flushFills();
    await this.positionCheck;
  }

  /**
   * On start the router owns nothing: whatever rests on the venue for this
   * account is an orphan of a previous run, so it is cancelled. Fills executed
   * while no router listened are read from the venue's history (from the stored
   * watermark, else a look-back) and published like streamed ones: the same
   * venue:fillId message id and an idempotent store make a repeat harmless.
   */
  private async reconcile(): Promise<RouterReconcileReport> {
    const { adapter, logger, store } = this.deps;
    const now = this.deps.now ?? Date.now;
    const report: RouterReconcileReport = {
      venue: adapter.venue,
      account: adapter.account,
      trigger: 'start',
      orphansCancelled: 0,
      fillsListed: 0,
      fillsAdopted: 0,
      positionDifferences: [],
      errors: [],
      ts: now(),
    };
    const orphans = await adapter.openOrders();
    if (orphans.length > 0) {
      logger.warn({ count: orphans.length }, 'cancelling orders left by a previous run');
      for (const o of orphans) if (await this.cancelQuietly(o.symbol, o.clientOrderId)) report.orphansCancelled++;
      this.m.orphans.inc({ venue: this.venue }, report.orphansCancelled);
    }
    await store.saveOpenOrders(adapter.venue, adapter.account, []);
    if (adapter.fillsSince) {
      const opts = this.deps.reconcile ?? {};
      const mark = await store.getFillWatermark(adapter.venue, adapter.account);
      const since = Math.max(0, mark !== undefined ? mark - (opts.marginMs ?? 60_000) : now() - (opts.lookbackMs ?? 24 * 3600_000));
      report.fillsSinceMs = since;
      try {
        const fills = await adapter.fillsSince(since);
        report.fillsListed = fills.length;
        for (const f of fills) {
          if (f.venue !== adapter.venue || f.account !== adapter.account || (await store.hasFill(f.venue, f.fillId))) continue;
          // Not booked: maybe published by the previous run and not yet booked (then the stream says duplicate), maybe missed.
          if (await this.publishFill(f)) {
            report.fillsAdopted++;
            this.m.adopted.inc({ venue: this.venue });
          }
        }
        if (report.fillsAdopted > 0) logger.warn({ adopted: report.fillsAdopted, listed: fills.length, since }, 'adopted fills missed while no router listened');
      } catch (err) {
        this.m.errors.inc({ venue: this.venue, call: 'fills_since' });
        report.errors.push(`fill history: ${errorText(err)}`);
        logger.error({ err }, 'reading the venue fill history failed: fills missed while down are not adopted');
      }
    }
    return report;
  }

  /** Compares the venue's positions with the booked ones until they agree or settleMs passes, then reports. */
  private async checkPositions(report: RouterReconcileReport): Promise<void> {
    const { adapter, store, logger } = this.deps;
    const deadline = Date.now() + (this.deps.reconcile?.settleMs ?? 10_000);
    let diffs: PositionDifference[] = [];
    for (;;) {
      try {
        diffs = positionDifferences(await adapter.positions(), await store.listPositions(), adapter.venue, adapter.account);
      } catch (err) {
        this.m.errors.inc({ venue: this.venue, call: 'positions' });
        report.errors.push(`positions: ${errorText(err)}`);
        break;
      }
      if (diffs.length === 0 || this.stopped || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    report.positionDifferences = diffs;
    report.ts = (this.deps.now ?? Date.now)();
    this.m.positionDiffs.set({ venue: this.venue }, diffs.length);
    if (diffs.length > 0) logger.warn({ differences: diffs }, 'venue positions differ from the booked ones after reconciliation');
    logger.info({ ...report }, 'reconciled with the venue');
    if (!this.stopped) this.deps.bus.publish(routerReconcileSubject(adapter.venue), RouterReconcileReport.parse(report));
  }

  /** True when the venue cancelled it; false when it was no longer open or the cancel failed (logged). */
  private async cancelQuietly(symbol: string, clientOrderId: string): Promise<boolean> {
    try {
      return await this.deps.adapter.cancelOrder(symbol, clientOrderId);
    } catch (err) {
      this.m.errors.inc({ venue: this.venue, call: 'cancel' });
      this.deps.logger.error({ err, clientOrderId }, 'cancel failed');
      return false;
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
    if (this.stopped || cmd.account !== this.deps.adapter.account) return;
    if (this.halted) {
      // Risk approved it just before the halt: it is not sent, and whoever waits for it hears why.
      if (cmd.type === 'place') {
        const a = this.deps.adapter;
        this.onOrderEvent({ venue: this.venue, account: a.account, symbol: cmd.symbol, clientOrderId: cmd.clientOrderId, side: cmd.side, qty: cmd.qty, filledQty: '0', status: 'rejected', reason: 'trading is halted', ts: (this.deps.now ?? Date.now)() });
      }
      return;
    }
    if (cmd.type === 'set_quotes') {
      const book = quoteBookKey(cmd);
      this.pending.set(book, cmd);
      void this.work(book);
      return;
    }
    if (this.seenCommands.has(cmd.commandId)) return;
    this.seenCommands.add(cmd.commandId);
    if (this.seenCommands.size > 10_000) this.seenCommands.delete(this.seenCommands.values().next().value!);
    if (cmd.type === 'place') void this.placeImmediate(cmd);
    else if (cmd.type === 'cancel') void this.cancelOne(cmd);
    else void this.cancelAllOf(cmd);
  }

  /**
   * An order outside any quote set (an arbitrage leg, hedge or unwind; IOC/FOK).
   * Its outcome always reaches order.event.<venue>: the venue's own events, plus a
   * 'rejected' event when the venue refused it over REST, and, when the answer was
   * lost, whatever a query finds (never a blind retry).
   */
  private async placeImmediate(cmd: PlaceOrderCommand): Promise<void> {
    const { adapter } = this.deps;
    const now = this.deps.now ?? Date.now;
    const received = now();
    this.immediate.set(cmd.clientOrderId, cmd.symbol);
    const event = (status: OrderEvent['status'], reason: string, filledQty = '0'): void =>
      this.onOrderEvent({ venue: this.venue, account: adapter.account, symbol: cmd.symbol, clientOrderId: cmd.clientOrderId, side: cmd.side, ...(cmd.price ? { price: cmd.price } : {}), qty: cmd.qty, filledQty, status, reason, ts: now() });
    let result;
    try {
      result = await adapter.placeOrder({ clientOrderId: cmd.clientOrderId, symbol: cmd.symbol, side: cmd.side, type: cmd.orderType, ...(cmd.price ? { price: cmd.price } : {}), qty: cmd.qty, tif: cmd.tif, reduceOnly: cmd.reduceOnly });
    } catch (err) {
      result = { status: 'rejected' as const, reason: errorText(err) };
    }
    const trace: Trace = { ...cmd.trace, 'router.recv': received, 'router.sent': now() };
    this.deps.onOrderSent?.(trace);
    if (this.deps.publishOrderTraces) this.deps.bus.publish(routerOrderTraceSubject(this.venue), { venue: this.venue, symbol: cmd.symbol, clientOrderId: cmd.clientOrderId, trace });
    if (result.status === 'accepted') {
      this.stats.placed++;
      this.m.placed.inc({ venue: this.venue });
      return;
    }
    if (result.status === 'rejected') {
      if (result.rateLimited) this.countRateLimited(result.rateLimited.retryAfterMs);
      else {
        this.stats.rejected++;
        this.m.rejected.inc({ venue: this.venue });
      }
      this.immediate.delete(cmd.clientOrderId);
      event('rejected', result.reason.slice(0, 500));
      return;
    }
    for (let attempt = 1; attempt <= UNKNOWN_QUERY_TRIES && !this.stopped; attempt++) {
      try {
        const found = await adapter.queryOrder(cmd.symbol, cmd.clientOrderId);
        if (!found) event('rejected', `not at the venue after an unanswered place (${result.reason})`.slice(0, 500));
        else event(found.status, 'found by query after an unanswered place', found.filledQty);
        return;
      } catch (err) {
        this.m.errors.inc({ venue: this.venue, call: 'query' });
        if (attempt < UNKNOWN_QUERY_TRIES) await new Promise((r) => setTimeout(r, UNKNOWN_QUERY_PAUSE_MS * attempt));
      }
    }
    this.deps.logger.warn({ clientOrderId: cmd.clientOrderId }, 'immediate order still unknown after queries: its fills, if any, arrive on the fill stream');
  }

  private async cancelOne(cmd: CancelOrderCommand): Promise<void> {
    if (await this.cancelQuietly(cmd.symbol, cmd.clientOrderId)) this.forget(cmd.clientOrderId);
  }

  /** Cancels every order on the venue (of one symbol when named) and forgets the slots it held. */
  private async cancelAllOf(cmd: CancelAllCommand): Promise<void> {
    this.deps.logger.warn({ symbol: cmd.symbol, reason: cmd.reason }, 'cancel-all command');
    for (const [book, pending] of this.pending) if (cmd.symbol === undefined || pending.symbol === cmd.symbol) this.pending.delete(book);
    try {
      await this.deps.adapter.cancelAll(cmd.symbol);
    } catch (err) {
      this.m.errors.inc({ venue: this.venue, call: 'cancel_all' });
      this.deps.logger.error({ err }, 'cancel-all command failed');
      return;
    }
    for (const [book, slots] of this.live) {
      if (cmd.symbol !== undefined && symbolOfBook(book) !== cmd.symbol) continue;
      for (const o of slots.values()) this.bySlotId.delete(o.clientOrderId);
      slots.clear();
    }
    this.m.live.set({ venue: this.venue }, this.bySlotId.size);
  }

  /** One worker per quote book; it always takes the newest pending set. */
  private work(book: string): Promise<void> {
    const running = this.workers.get(book);
    if (running) return running;
    const worker = this.runWorker(book).finally(() => this.workers.delete(book));
    this.workers.set(book, worker);
    return worker;
  }

  private async runWorker(book: string): Promise<void> {
    const now = this.deps.now ?? Date.now;
    try {
      for (let cmd = this.pending.get(book); cmd && !this.stopped; cmd = this.pending.get(book)) {
        this.pending.delete(book);
        const limitedBefore = this.rateLimitedUntil;
        await this.apply(cmd);
        if (this.rateLimitedUntil > limitedBefore && !this.stopped) {
          // The venue's rate limit refused part of this set: work it again (or a newer one) once the pause is over.
          if (!this.pending.has(book)) this.pending.set(book, cmd);
          await new Promise((r) => setTimeout(r, Math.max(0, this.rateLimitedUntil - now())).unref());
        }
      }
    } catch (err) {
      this.deps.logger.error({ err, book: book.replace('\u0000', ' ') }, 'applying a quote set failed');
    }
  }

  private slots(cmd: SetQuotesCommand): Map<string, LiveSlotOrder> {
    const book = quoteBookKey(cmd);
    let m = this.live.get(book);
    if (!m) {
      m = new Map();
      this.live.set(book, m);
    }
    return m;
  }

  /**
   * Makes the symbol's resting orders match the set. Slots are worked in parallel,
   * each in order: a slot whose order differs only in price and/or qty is amended in
   * place where the venue can (one call, same client id); otherwise its old order's
   * cancel is confirmed before its new order is sent (a slot never has two live
   * orders), but no slot waits for another's calls — a set's latency is one cancel
   * plus one place (or one amend), not the sum of them all.
   */
  private async apply(cmd: SetQuotesCommand): Promise<void> {
    const received = (this.deps.now ?? Date.now)();
    const slots = this.slots(cmd);
    const diff = diffQuotes([...slots.values()], cmd.quotes, { amend: this.deps.adapter.amendOrder !== undefined });
    const cancels = new Map<string, LiveSlotOrder[]>();
    for (const o of diff.cancel) cancels.set(o.slot, [...(cancels.get(o.slot) ?? []), o]);
    const amends = new Map(diff.amend.map((a) => [a.order.slot, a.order]));
    const wanted = new Map([...diff.place.map((q) => [q.slot, q] as const), ...diff.amend.map((a) => [a.order.slot, a.to] as const)]);
    const touched = [...new Set([...wanted.keys(), ...cancels.keys()])];
    await Promise.all(touched.map((slot) => this.applySlot(cmd, slot, cancels.get(slot) ?? [], amends.get(slot), wanted.get(slot), received)));
    this.m.live.set({ venue: this.venue }, this.bySlotId.size);
  }

  private async applySlot(
    cmd: SetQuotesCommand,
    slot: string,
    cancel: readonly LiveSlotOrder[],
    amend: LiveSlotOrder | undefined,
    q: WantedQuote | undefined,
    received: number,
  ): Promise<void> {
    const { adapter } = this.deps;
    const now = this.deps.now ?? Date.now;
    const slots = this.slots(cmd);
    const toCancel = [...cancel];
    if (amend && q) {
      const outcome = await this.amendSlot(cmd, amend, q, received);
      if (outcome === 'done') return;
      // Refused or found unlike the wanted quote: settled the safe way, its cancel confirmed before a new place.
      toCancel.push(amend);
    }
    for (const o of toCancel) {
      try {
        await adapter.cancelOrder(cmd.symbol, o.clientOrderId);
        this.forget(o.clientOrderId);
      } catch (err) {
        this.m.errors.inc({ venue: this.venue, call: 'cancel' });
        this.deps.logger.error({ err, clientOrderId: o.clientOrderId }, 'cancel failed; slot kept until resolved');
      }
    }
    if (!q || slots.has(slot)) return; // nothing to place, or its old order is still live (cancel failed)
    if (this.halted || this.stopped) return; // the kill switch or a stop landed while this set was being worked
    const clientOrderId = this.ids.next();
    slots.set(slot, { slot, clientOrderId, side: q.side, price: q.price, qty: q.qty, postOnly: q.postOnly });
    this.bySlotId.set(clientOrderId, { book: quoteBookKey(cmd), slot });
    const result = await adapter.placeOrder({ clientOrderId, symbol: cmd.symbol, side: q.side, type: 'limit', price: q.price, qty: q.qty, tif: q.postOnly ? 'post_only' : 'gtc', reduceOnly: false });
    const trace: Trace = { ...cmd.trace, 'router.recv': received, 'router.sent': now() };
    this.deps.onOrderSent?.(trace);
    // Opt-in: lets a benchmark join the trace to the order's arrival at the venue by client order id.
    if (this.deps.publishOrderTraces) this.deps.bus.publish(routerOrderTraceSubject(this.venue), { venue: this.venue, symbol: cmd.symbol, clientOrderId, kind: 'place', price: q.price, qty: q.qty, trace });
    // Placed while the halt's cancel-all was already under way: pull it now.
    if (this.halted && result.status !== 'rejected') await this.cancelQuietly(cmd.symbol, clientOrderId);
    if (result.status === 'accepted') {
      this.stats.placed++;
      this.m.placed.inc({ venue: this.venue });
      if (result.orderStatus !== 'new' && result.orderStatus !== 'partially_filled' && result.orderStatus !== 'pending') this.forget(clientOrderId);
    } else if (result.status === 'rejected') {
      this.forget(clientOrderId);
      if (result.rateLimited) {
        this.countRateLimited(result.rateLimited.retryAfterMs);
        this.deps.logger.debug({ clientOrderId, reason: result.reason }, 'place refused by the rate limit: the set is worked again after the pause');
        return;
      }
      this.stats.rejected++;
      this.m.rejected.inc({ venue: this.venue });
      this.deps.logger.debug({ clientOrderId, reason: result.reason }, 'order rejected');
    } else {
      // Unknown: never re-sent blindly. A query says whether the venue has it; until one answers, the slot stays occupied.
      await this.resolveUnknown(cmd.symbol, clientOrderId);
    }
  }

  /** A place the venue's rate limit refused: counted apart from rejections, and every quote book pauses. */
  private countRateLimited(retryAfterMs: number): void {
    this.stats.rateLimited++;
    this.m.rateLimited.inc({ venue: this.venue });
    this.rateLimitedUntil = Math.max(this.rateLimitedUntil, (this.deps.now ?? Date.now)() + retryAfterMs);
  }

  /**
   * Amends a slot's order to the wanted quote. 'done': it rests as wanted (or a halt, stop or unanswered query
   * leaves the slot as it is, occupied, for the next set or the cancel-all); 'replace': the venue refused (the order
   * may be gone or unchanged) or a query found it unlike the wanted quote, so the caller cancels it (confirmed)
   * and places anew.
   */
  private async amendSlot(cmd: SetQuotesCommand, o: LiveSlotOrder, q: WantedQuote, received: number): Promise<'done' | 'replace'> {
    const { adapter } = this.deps;
    const amendOrder = adapter.amendOrder;
    if (!amendOrder) return 'replace';
    if (this.halted || this.stopped) return 'done';
    let result: AmendResult;
    try {
      result = await amendOrder.call(adapter, cmd.symbol, o.clientOrderId, { side: q.side, price: q.price, qty: q.qty });
    } catch (err) {
      // Not the venue's answer: whether the amend landed is a question for queryOrder.
      result = { status: 'unknown', reason: errorText(err) };
    }
    const trace: Trace = { ...cmd.trace, 'router.recv': received, 'router.sent': (this.deps.now ?? Date.now)() };
    this.deps.onOrderSent?.(trace);
    if (this.deps.publishOrderTraces) {
      this.deps.bus.publish(routerOrderTraceSubject(this.venue), { venue: this.venue, symbol: cmd.symbol, clientOrderId: o.clientOrderId, kind: 'amend', price: q.price, qty: q.qty, trace });
    }
    if (result.status === 'accepted') {
      this.amended(o, q);
      if (CLOSED.has(result.orderStatus)) this.forget(o.clientOrderId);
      return 'done';
    }
    if (result.status === 'rejected') {
      this.deps.logger.debug({ clientOrderId: o.clientOrderId, reason: result.reason }, 'amend rejected: replacing the order');
      return 'replace';
    }
    for (let attempt = 1; attempt <= UNKNOWN_QUERY_TRIES && !this.stopped; attempt++) {
      try {
        const found = await adapter.queryOrder(cmd.symbol, o.clientOrderId);
        if (!found || !OPEN.has(found.status)) {
          this.forget(o.clientOrderId);
          return 'replace';
        }
        if (found.price !== undefined && sameText(found.price, q.price) && sameText(found.qty, q.qty)) {
          this.amended(o, q);
          return 'done';
        }
        return 'replace';
      } catch (err) {
        this.m.errors.inc({ venue: this.venue, call: 'query' });
        this.deps.logger.warn({ err, clientOrderId: o.clientOrderId, attempt }, 'query after an unanswered amend failed');
        if (attempt < UNKNOWN_QUERY_TRIES) await new Promise((r) => setTimeout(r, UNKNOWN_QUERY_PAUSE_MS * attempt));
      }
    }
    // Unknown still: the slot keeps the order as last known; the next set amends or cancels it by client id.
    this.deps.logger.warn({ clientOrderId: o.clientOrderId }, 'amend still unknown after queries: slot stays occupied');
    return 'done';
  }

  /** An amend the venue confirmed: the slot's order (same client id) now carries the wanted price and qty. */
  private amended(o: LiveSlotOrder, q: WantedQuote): void {
    this.stats.amended++;
    this.m.amended.inc({ venue: this.venue });
    const ref = this.bySlotId.get(o.clientOrderId);
    const slots = ref ? this.live.get(ref.book) : undefined;
    // Only if the slot still holds it: a fill or cancel event may have closed it meanwhile.
    if (ref && slots?.get(ref.slot)?.clientOrderId === o.clientOrderId) slots.set(ref.slot, { ...o, price: q.price, qty: q.qty });
  }

  /**
   * Settles a place whose answer was lost. Found open: the slot keeps it. Found closed or not found: the
   * slot is freed (should a delayed request still land, its open event finds no owner and is cancelled).
   * No answer from the queries: the slot stays occupied, so the next quote set cancels it by client id
   * before placing, and a slot never holds two live orders.
   */
  private async resolveUnknown(symbol: string, clientOrderId: string): Promise<void> {
    for (let attempt = 1; attempt <= UNKNOWN_QUERY_TRIES && !this.stopped; attempt++) {
      try {
        const found = await this.deps.adapter.queryOrder(symbol, clientOrderId);
        if (!found || CLOSED.has(found.status)) this.forget(clientOrderId);
        else if (found.status === 'new' || found.status === 'partially_filled') {
          this.stats.placed++;
          this.m.placed.inc({ venue: this.venue });
        }
        return;
      } catch (err) {
        this.m.errors.inc({ venue: this.venue, call: 'query' });
        this.deps.logger.warn({ err, clientOrderId, attempt }, 'query of an unknown order failed');
        if (attempt < UNKNOWN_QUERY_TRIES) await new Promise((r) => setTimeout(r, UNKNOWN_QUERY_PAUSE_MS * attempt));
      }
    }
    this.deps.logger.warn({ clientOrderId }, 'order still unknown: its slot stays occupied until a cancel settles it');
  }

  private forget(clientOrderId: string): void {
    const ref = this.bySlotId.get(clientOrderId);
    if (!ref) return;
    this.bySlotId.delete(clientOrderId);
    const slots = this.live.get(ref.book);
    if (slots?.get(ref.slot)?.clientOrderId === clientOrderId) slots.delete(ref.slot);
  }

  private onOrderEvent(venueEvent: OrderEvent): void {
    // Tagged with the strategy and slot it holds (looked up before a close forgets it): a strategy knows what of its own rests.
    const ref = this.bySlotId.get(venueEvent.clientOrderId);
    const event: OrderEvent = ref ? { ...venueEvent, strategy: strategyOfBook(ref.book), slot: ref.slot } : venueEvent;
    if (event.status === 'canceled') {
      this.stats.cancelled++;
      this.m.cancelled.inc({ venue: this.venue });
    }
    if (CLOSED.has(event.status)) {
      this.forget(event.clientOrderId);
      this.immediate.delete(event.clientOrderId);
    }
    else if (OPEN.has(event.status) && event.account === this.deps.adapter.account) this.cancelStray(event);
    const msgId = `${event.venue}:${event.clientOrderId}:${event.status}:${event.filledQty}`;
    this.deps.bus.publishDurable('orderEvents', subjects.orderEvent(event.venue), event, msgId).catch((err: unknown) => {
      this.deps.logger.error({ err }, 'publishing an order event failed');
    });
  }

  /**
   * An open order the router does not own (a place thought lost that landed late, one left from a
   * previous run): it must not rest beside the slot's own order, so it is cancelled.
   */
  private cancelStray(event: OrderEvent): void {
    const id = event.clientOrderId;
    if (this.bySlotId.has(id) || this.immediate.has(id) || this.strayCancels.has(id) || this.stopped) return;
    this.strayCancels.add(id);
    this.deps.logger.warn({ clientOrderId: id }, 'open order the router does not own: cancelling it');
    void this.cancelQuietly(event.symbol, id).finally(() => this.strayCancels.delete(id));
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
        await this.publishFill(this.fillQueue[0]!);
        this.fillQueue.shift();
      }
    })().finally(() => {
      this.fillsFlushing = undefined;
    });
    return this.fillsFlushing;
  }

  /**
   * Publishes one fill to FILLS (msgId venue:fillId), retrying until the stream has stored it, then moves
   * the fill watermark on. Resolves true when the stream had not stored it before.
   */
  private async publishFill(fill: Fill): Promise<boolean> {
    let delay = 50;
    for (;;) {
      try {
        const ack = await this.deps.bus.publishDurable('fills', subjects.fill(fill.venue, fill.symbol), fill, `${fill.venue}:${fill.fillId}`);
        await this.deps.store.advanceFillWatermark(fill.venue, fill.account, Math.max(0, Math.floor(fill.tsExchange))).catch((err: unknown) => {
          // Only a later restart's look-back grows: nothing is lost.
          this.deps.logger.warn({ err }, 'saving the fill watermark failed');
        });
        return !ack.duplicate;
      } catch (err) {
        this.deps.logger.error({ err, fillId: fill.fillId }, 'publishing a fill failed; retrying');
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
  }
}

/** A strategy's quotes on one symbol: the unit the router diffs and works. */
function quoteBookKey(cmd: Pick<SetQuotesCommand, 'strategy' | 'symbol'>): string {
  return `${cmd.strategy}\u0000${cmd.symbol}`;
}

function strategyOfBook(book: string): string {
  return book.slice(0, book.indexOf('\u0000'));
}

function symbolOfBook(book: string): string {
  return book.slice(book.indexOf('\u0000') + 1);
}

function sameText(a: string, b: string): boolean {
  return a === b || dec(a) === dec(b);
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 400);
}
