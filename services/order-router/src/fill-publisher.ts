import { subjects, type Fill } from '@perpetua/core';
import { FillContentWindow } from '@perpetua/state';
import type { RouterContext } from './router-context.js';

/**
 * Publishes every fill durably on FILLS (message id venue:fillId, so the stream de-duplicates a repeat), in
 * order, retrying until the stream has stored each one, and moves the fill watermark on after each.
 *
 * A trade can come twice under two ids (StandX: the stream without an id, query_trades with one). The stream
 * cannot de-duplicate those, so the router drops the second by content (libs/state fill-content-dedupe.ts) over
 * what it published itself, before it reaches the bus; the store does the same over what was booked (a restarted
 * router remembers nothing: its reconcile asks the store).
 */
export class FillPublisher {
  /** Streamed fills not yet stored. Not bounded: a fill is never dropped; it grows only while the stream refuses to store. */
  private readonly queue: Fill[] = [];
  private flushing: Promise<void> | undefined;
  /**
   * Contents of the fills published (or queued) by this router, for as long as risk may not have booked them or a
   * late stream record may follow its copy from the history: an hour, bounded in count; the store keeps longer.
   */
  private readonly contents = new FillContentWindow({ windowMs: 3600_000, maxEntries: 20_000 });

  constructor(private readonly ctx: RouterContext) {}

  /** A fill from the venue's stream: queued and published in arrival order, unless the same trade was already. */
  onFill(fill: Fill): void {
    if (!this.admit(fill)) return;
    this.ctx.stats.fills++;
    this.ctx.m.fills.inc({ venue: this.ctx.venue });
    this.queue.push(fill);
    void this.flush();
  }

  /** Publishes queued fills in order, retrying until the stream has stored each one. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = (async () => {
      while (this.queue.length > 0) {
        await this.send(this.queue[0]!);
        this.queue.shift();
      }
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /**
   * A fill found in the venue's history (reconciliation): published unless the same trade was published under its
   * other id. Resolves true when the stream had not stored it before.
   */
  async publish(fill: Fill): Promise<boolean> {
    if (!this.admit(fill)) return false;
    return this.send(fill);
  }

  private admit(fill: Fill): boolean {
    if (this.contents.admit(fill)) return true;
    this.ctx.m.sameTrade.inc({ venue: this.ctx.venue });
    this.ctx.deps.logger.debug({ fillId: fill.fillId, venueOrderId: fill.venueOrderId }, 'fill not published: the same trade was, under its other id');
    return false;
  }

  /**
   * Publishes one fill to FILLS (msgId venue:fillId), retrying until the stream has stored it, then moves
   * the fill watermark on. Resolves true when the stream had not stored it before.
   */
  private async send(fill: Fill): Promise<boolean> {
    const { bus, store, logger } = this.ctx.deps;
    let delay = 50;
    for (;;) {
      try {
        const ack = await bus.publishDurable('fills', subjects.fill(fill.venue, fill.symbol), fill, `${fill.venue}:${fill.fillId}`);
        await store.advanceFillWatermark(fill.venue, fill.account, Math.max(0, Math.floor(fill.tsExchange))).catch((err: unknown) => {
          // Only a later restart's look-back grows: nothing is lost.
          logger.warn({ err }, 'saving the fill watermark failed');
        });
        return !ack.duplicate;
      } catch (err) {
        logger.error({ err, fillId: fill.fillId }, 'publishing a fill failed; retrying');
        await this.ctx.sleep(delay);
        delay = Math.min(delay * 2, 2000);
      }
    }
  }
}
