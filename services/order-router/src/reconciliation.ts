import { RouterReconcileReport, routerReconcileSubject, type PositionDifference } from '@perpetua/core';
import { errorText } from './error-text.js';
import type { FillPublisher } from './fill-publisher.js';
import { positionDifferences } from './position-differences.js';
import type { RouterContext } from './router-context.js';

/**
 * The router set against the venue: orders it does not own are cancelled, fills missed while no router
 * listened are adopted from the venue's history, and positions are compared with the booked ones; the
 * outcome is published on router.reconcile.<venue>. Today it runs once, at start (reconcileOnStart).
 */
export class Reconciliation {
  constructor(
    private readonly ctx: RouterContext,
    private readonly fills: FillPublisher,
  ) {}

  /**
   * The entry point at start: reconciles orders and fills now; positions are checked in the background (risk
   * books the adopted fills meanwhile, and quoting goes on). Resolves, with that check under way, once the
   * router may take commands; the returned promise settles when the report is out.
   */
  async reconcileOnStart(): Promise<{ positionsChecked: Promise<void> }> {
    const report = await this.ordersAndFills();
    return { positionsChecked: this.checkPositions(report) };
  }

  /**
   * On start the router owns nothing: whatever rests on the venue for this
   * account is an orphan of a previous run, so it is cancelled. Fills executed
   * while no router listened are read from the venue's history (from the stored
   * watermark, else a look-back) and published like streamed ones: the same
   * venue:fillId message id and an idempotent store make a repeat harmless.
   */
  private async ordersAndFills(): Promise<RouterReconcileReport> {
    const { ctx } = this;
    const { adapter, logger, store } = ctx.deps;
    const report: RouterReconcileReport = {
      venue: adapter.venue,
      account: adapter.account,
      trigger: 'start',
      orphansCancelled: 0,
      fillsListed: 0,
      fillsAdopted: 0,
      positionDifferences: [],
      errors: [],
      ts: ctx.now(),
    };
    const orphans = await adapter.openOrders();
    if (orphans.length > 0) {
      logger.warn({ count: orphans.length }, 'cancelling orders left by a previous run');
      for (const o of orphans) if (await ctx.cancelQuietly(o.symbol, o.clientOrderId)) report.orphansCancelled++;
      ctx.m.orphans.inc({ venue: ctx.venue }, report.orphansCancelled);
    }
    await store.saveOpenOrders(adapter.venue, adapter.account, []);
    if (adapter.fillsSince) {
      const opts = ctx.deps.reconcile ?? {};
      const mark = await store.getFillWatermark(adapter.venue, adapter.account);
      const since = Math.max(0, mark !== undefined ? mark - (opts.marginMs ?? 60_000) : ctx.now() - (opts.lookbackMs ?? 24 * 3600_000));
      report.fillsSinceMs = since;
      try {
        const fills = await adapter.fillsSince(since);
        report.fillsListed = fills.length;
        for (const f of fills) {
          if (f.venue !== adapter.venue || f.account !== adapter.account || (await store.hasFill(f.venue, f.fillId))) continue;
          // Not booked: maybe published by the previous run and not yet booked (then the stream says duplicate), maybe missed.
          if (await this.fills.publish(f)) {
            report.fillsAdopted++;
            ctx.m.adopted.inc({ venue: ctx.venue });
          }
        }
        if (report.fillsAdopted > 0) logger.warn({ adopted: report.fillsAdopted, listed: fills.length, since }, 'adopted fills missed while no router listened');
      } catch (err) {
        ctx.m.errors.inc({ venue: ctx.venue, call: 'fills_since' });
        report.errors.push(`fill history: ${errorText(err)}`);
        logger.error({ err }, 'reading the venue fill history failed: fills missed while down are not adopted');
      }
    }
    return report;
  }

  /** Compares the venue's positions with the booked ones until they agree or settleMs passes, then reports. */
  private async checkPositions(report: RouterReconcileReport): Promise<void> {
    const { ctx } = this;
    const { adapter, store, logger } = ctx.deps;
    const deadline = ctx.now() + (ctx.deps.reconcile?.settleMs ?? 10_000);
    let diffs: PositionDifference[] = [];
    for (;;) {
      try {
        diffs = positionDifferences(await adapter.positions(), await store.listPositions(), adapter.venue, adapter.account);
      } catch (err) {
        ctx.m.errors.inc({ venue: ctx.venue, call: 'positions' });
        report.errors.push(`positions: ${errorText(err)}`);
        break;
      }
      if (diffs.length === 0 || ctx.stopped || ctx.now() >= deadline) break;
      await ctx.sleep(250);
    }
    report.positionDifferences = diffs;
    report.ts = ctx.now();
    ctx.m.positionDiffs.set({ venue: ctx.venue }, diffs.length);
    if (diffs.length > 0) logger.warn({ differences: diffs }, 'venue positions differ from the booked ones after reconciliation');
    logger.info({ ...report }, 'reconciled with the venue');
    if (!ctx.stopped) ctx.deps.bus.publish(routerReconcileSubject(adapter.venue), RouterReconcileReport.parse(report));
  }
}
