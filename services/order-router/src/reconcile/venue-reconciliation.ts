import type { Logger } from 'pino';
import { RouterReconcileReport, routerReconcileSubject, toNumber, type Clock, type Fill, type OrderEvent, type PositionDifference } from '@perpetua/core';
import type { Bus } from '@perpetua/bus';
import type { StateStore } from '@perpetua/state';
import type { TradingAdapter, VenueOrder } from '@perpetua/venues';
import { positionDifferences } from '../position-differences.js';
import type { RouterMetrics } from '../router-metrics.js';
import { breachReason, positionBreaches, positionGap } from './position-tolerance.js';
import type { ReconcileTrigger } from './reconcile-scheduler.js';
import { startSymbols } from './start-symbols.js';

export interface ReconcileOptions {
  /** With no fill watermark stored yet, fills are adopted from this far back (default 24 h). */
  lookbackMs?: number;
  /** Fills are asked for from this long before the watermark: fills of several streams publish out of order (default 60 s). */
  marginMs?: number;
  /** How long positions may take to agree once adopted fills are published (risk books them), before a difference is reported (default 10 s). */
  settleMs?: number;
  /** A reconciliation every this often besides start and reconnects (default 60 s; 0 = none). */
  intervalMs?: number;
  /**
   * The account's position tolerance (base units, decimal text): a difference beyond it on any symbol halts this
   * account's quoting until a later run finds the positions within it again. Absent: differences are reported only.
   */
  positionTolerance?: string;
  /**
   * The symbols the account trades (the venue's configured ones; a warm standby adds those its stream saw orders
   * in). Given, a start run asks the venue per symbol for these and the persisted orders' symbols (start-symbols.ts)
   * instead of one all-symbol query, which some venues weigh heavily. Absent: the start run asks for all symbols.
   */
  startSymbols?: () => readonly string[];
}

/** An order the router owns, as far as reconciliation needs to know it. */
export interface OwnedOrder {
  clientOrderId: string;
  symbol: string;
}

/** What reconciliation asks of its router. */
export interface ReconcileHost {
  /** Every order the router owns now (quote slots and immediate orders). */
  ownedOrders(): OwnedOrder[];
  isOwned(clientOrderId: string): boolean;
  /** The symbols the router has quoted or ordered in since it started (what a run after start looks at). */
  activeSymbols(): string[];
  /** Publishes a fill through the router's exactly-once path; true when the stream had not stored it before. */
  publishFill(fill: Fill): Promise<boolean>;
  /** An order event the stream missed, found by query: handled like a streamed one. */
  orderEvent(event: OrderEvent): void;
  /** True when the venue cancelled it (failures are logged and counted by the router). */
  cancel(symbol: string, clientOrderId: string): Promise<boolean>;
  /** Halts (reason) or lets quoting resume (undefined) on this account because of positions. */
  setPositionHalt(reason: string | undefined): void;
  isStopped(): boolean;
}

export interface VenueReconciliationDeps {
  adapter: TradingAdapter;
  store: StateStore;
  bus: Bus;
  logger: Logger;
  clock: Clock;
  metrics: RouterMetrics;
  options: ReconcileOptions;
  host: ReconcileHost;
}

const CLOSED: ReadonlySet<string> = new Set(['canceled', 'rejected', 'expired', 'filled']);
/** Owned orders missing from the venue's open list that one run queries (the rest wait for the next run). */
const MAX_QUERIES_PER_RUN = 50;
const SETTLE_POLL_MS = 250;
/** After start, positions are asked for less often while they settle: the venue's request weight is shared with quoting. */
const SETTLE_POLL_LATER_MS = 1_000;

/**
 * One reconciliation of a router with its venue account: the venue's open orders against the router's (orphans
 * cancelled; owned orders the venue closed unseen settled by query), the fills since the watermark (a missed one
 * published through the router's exactly-once path), then the positions (compared once adopted fills had time to
 * be booked; beyond the tolerance, the account's quoting halts). Each run's report goes out on router.reconcile.<venue>.
 */
export class VenueReconciliation {
  private positionHaltSince: number | undefined;
  /** Symbols whose difference gauge was set non-zero: zeroed once they agree again. */
  private readonly gaugedSymbols = new Set<string>();

  constructor(private readonly d: VenueReconciliationDeps) {}

  /** A full run: orders and fills, then positions, then the report. */
  async run(trigger: ReconcileTrigger): Promise<void> {
    await this.finish(await this.ordersAndFills(trigger));
  }

  /**
   * Orders and fills. On start the router owns nothing: whatever rests on the venue for this account is an orphan
   * of a previous run, and so is every order the previous run persisted, cancelled by client id even if the
   * venue's list misses it (or the venue does not answer). A start run asks per symbol where it knows the
   * account's symbols (startSymbols), so a takeover's cancels do not wait behind an all-symbol query. Fills are
   * published like streamed ones: the same venue:fillId message id and an idempotent store make a repeat harmless.
   */
  async ordersAndFills(trigger: ReconcileTrigger): Promise<RouterReconcileReport> {
    const { adapter, logger, store, metrics: m, host } = this.d;
    const venue = adapter.venue;
    this.d.metrics.reconcileRuns.inc({ venue, trigger });
    const report: RouterReconcileReport = {
      venue,
      account: adapter.account,
      trigger,
      orphansCancelled: 0,
      ordersLoaded: 0,
      ordersClosedUnseen: 0,
      fillsListed: 0,
      fillsAdopted: 0,
      positionDifferences: [],
      errors: [],
      ts: this.d.clock.now(),
    };
    const fail = (call: string, what: string, err: unknown): void => {
      m.errors.inc({ venue, call });
      if (report.errors.length < 20) report.errors.push(`${what}: ${errorText(err)}`);
      logger.error({ err, trigger }, `reconciliation: ${what} failed`);
    };
    let loaded: OrderEvent[] | undefined = [];
    if (trigger === 'start') {
      loaded = await store.loadOpenOrders(venue, adapter.account).catch((err: unknown) => (fail('load_open_orders', 'persisted open orders', err), undefined));
      report.ordersLoaded = loaded?.length ?? 0;
    }
    // Only the symbols the router trades, one query each: an all-symbol query is heavy on some venues (Binance
    // weight 40) and ccxt's limiter would hold the next calls behind it (on a takeover, the orphans' cancels).
    // A start run without known symbols, or without the persisted orders, asks for all.
    const symbols = trigger === 'start' ? startSymbols(this.d.options.startSymbols?.(), loaded) : host.activeSymbols();
    let open: VenueOrder[] | undefined;
    try {
      open = symbols === undefined ? await adapter.openOrders() : (await Promise.all(symbols.map((s) => adapter.openOrders(s)))).flat();
    } catch (err) {
      fail('open_orders', 'open orders', err);
    }
    const listed = new Set((open ?? []).map((o) => o.clientOrderId));
    const orphans = new Map<string, string>();
    for (const o of open ?? []) if (!host.isOwned(o.clientOrderId)) orphans.set(o.clientOrderId, o.symbol);
    // The previous run's orders: known without the venue's list (which may lag, or not come at all).
    for (const o of loaded ?? []) if (!listed.has(o.clientOrderId) && !host.isOwned(o.clientOrderId)) orphans.set(o.clientOrderId, o.symbol);
    if (orphans.size > 0) {
      logger.warn({ count: orphans.size, trigger }, 'cancelling orders the router does not own');
      for (const [id, symbol] of orphans) if (!host.isStopped() && (await host.cancel(symbol, id))) report.orphansCancelled++;
      m.orphans.inc({ venue }, report.orphansCancelled);
    }
    if (open && trigger !== 'start') report.ordersClosedUnseen = await this.settleUnlisted(listed, (call, what, err) => fail(call, what, err));
    if (adapter.fillsSince && (symbols === undefined || symbols.length > 0)) {
      const opts = this.d.options;
      try {
        const mark = await store.getFillWatermark(venue, adapter.account);
        const since = Math.max(0, mark !== undefined ? mark - (opts.marginMs ?? 60_000) : this.d.clock.now() - (opts.lookbackMs ?? 24 * 3600_000));
        report.fillsSinceMs = since;
        const fills = await adapter.fillsSince(since, symbols);
        report.fillsListed = fills.length;
        for (const f of fills) {
          // Booked under this id, or (a trade the stream told without the venue's id) under its content id.
          if (f.venue !== venue || f.account !== adapter.account || (await store.isFillBooked(f))) continue;
          // Not booked: maybe published already and not yet booked (then the stream or the publisher says duplicate), maybe missed.
          if (await host.publishFill(f)) {
            report.fillsAdopted++;
            m.adopted.inc({ venue });
          }
        }
        if (report.fillsAdopted > 0) logger.warn({ adopted: report.fillsAdopted, listed: fills.length, since, trigger }, 'adopted fills the stream missed');
      } catch (err) {
        fail('fills_since', 'fill history', err);
      }
    }
    return report;
  }

  /** Owned orders the venue no longer lists open: a query says whether they closed while nobody listened. */
  private async settleUnlisted(listed: ReadonlySet<string>, fail: (call: string, what: string, err: unknown) => void): Promise<number> {
    const { adapter, host } = this.d;
    let closed = 0;
    const unlisted = host.ownedOrders().filter((o) => !listed.has(o.clientOrderId)).slice(0, MAX_QUERIES_PER_RUN);
    for (const o of unlisted) {
      if (host.isStopped()) break;
      let found: VenueOrder | undefined;
      try {
        found = await adapter.queryOrder(o.symbol, o.clientOrderId);
      } catch (err) {
        fail('query', `query of ${o.clientOrderId}`, err);
        continue;
      }
      // Not found: maybe placed a moment ago (some venues list an order only once matched); the next run asks again.
      if (!found || !CLOSED.has(found.status) || !host.isOwned(o.clientOrderId)) continue;
      closed++;
      host.orderEvent({
        venue: adapter.venue,
        account: adapter.account,
        symbol: found.symbol,
        clientOrderId: found.clientOrderId,
        ...(found.venueOrderId !== undefined ? { venueOrderId: found.venueOrderId } : {}),
        side: found.side,
        ...(found.price !== undefined ? { price: found.price } : {}),
        qty: found.qty,
        filledQty: found.filledQty,
        status: found.status,
        reason: 'closed while the private stream missed it (found by reconciliation)',
        ts: this.d.clock.now(),
      });
    }
    return closed;
  }

  /** Compares the venue's positions with the booked ones until they agree or settleMs passes, applies the tolerance, reports. */
  async finish(report: RouterReconcileReport): Promise<void> {
    const { adapter, store, logger, clock, metrics: m, host } = this.d;
    const venue = adapter.venue;
    const deadline = clock.now() + (this.d.options.settleMs ?? 10_000);
    let diffs: PositionDifference[] = [];
    let known = true;
    for (;;) {
      try {
        diffs = positionDifferences(await adapter.positions(), await store.listPositions(), venue, adapter.account);
      } catch (err) {
        m.errors.inc({ venue, call: 'positions' });
        if (report.errors.length < 20) report.errors.push(`positions: ${errorText(err)}`);
        known = false;
        break;
      }
      if (diffs.length === 0 || host.isStopped() || clock.now() >= deadline) break;
      await pause(clock, `reconcile-settle:${venue}:${adapter.account}`, report.trigger === 'start' ? SETTLE_POLL_MS : SETTLE_POLL_LATER_MS);
    }
    report.positionDifferences = diffs.slice(0, 1_000);
    m.positionDiffs.set({ venue }, diffs.length);
    if (known) this.applyTolerance(diffs, report);
    else if (this.positionHaltSince !== undefined) report.halt = { reason: 'positions could not be read; the earlier halt holds', since: this.positionHaltSince };
    report.ts = clock.now();
    if (diffs.length > 0) logger.warn({ differences: diffs, trigger: report.trigger }, 'venue positions differ from the booked ones after reconciliation');
    logger.info({ ...report }, 'reconciled with the venue');
    if (!host.isStopped()) this.d.bus.publish(routerReconcileSubject(venue), RouterReconcileReport.parse(report));
  }

  /** Gauges each symbol's difference; beyond the tolerance the account halts, within it again it resumes. */
  private applyTolerance(diffs: readonly PositionDifference[], report: RouterReconcileReport): void {
    const { adapter, metrics: m, host, logger, options } = this.d;
    const labels = (symbol: string) => ({ venue: adapter.venue, account: adapter.account, symbol });
    for (const symbol of this.gaugedSymbols) if (!diffs.some((d) => d.symbol === symbol)) m.positionDifference.set(labels(symbol), 0);
    this.gaugedSymbols.clear();
    for (const d of diffs) {
      if (this.gaugedSymbols.size >= 1_000) break;
      m.positionDifference.set(labels(d.symbol), toNumber(positionGap(d)));
      this.gaugedSymbols.add(d.symbol);
    }
    const tolerance = options.positionTolerance;
    const breaches = positionBreaches(diffs, tolerance);
    if (breaches.length > 0 && tolerance !== undefined) {
      const reason = breachReason(breaches, tolerance);
      if (this.positionHaltSince === undefined) {
        this.positionHaltSince = this.d.clock.now();
        m.positionHalts.inc({ venue: adapter.venue, account: adapter.account });
        logger.error({ breaches, tolerance }, 'position difference beyond tolerance: halting quoting on this account');
      }
      host.setPositionHalt(reason);
      report.halt = { reason, since: this.positionHaltSince };
    } else if (this.positionHaltSince !== undefined) {
      this.positionHaltSince = undefined;
      logger.warn('positions within tolerance again: quoting on this account may resume');
      host.setPositionHalt(undefined);
    }
  }
}

/** One pause on the injected clock (its timers repeat: cancelled on the first tick). */
function pause(clock: Clock, name: string, ms: number): Promise<void> {
  return new Promise((resolve) =>
    clock.setTimer(name, ms, () => {
      clock.cancelTimer(name);
      resolve();
    }),
  );
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 400);
}
