import { subjects, type Fill } from '@perpetua/core';
import type { RouterContext } from './router-context.js';

/**
 * Publishes every fill durably on FILLS (message id venue:fillId, so the stream de-duplicates a repeat), in
 * order, retrying until the stream has stored each one, and moves the fill watermark on after each.
 */
export class FillPublisher {
  /** Streamed fills not yet stored. Not bounded: a fill is never dropped; it grows only while the stream refuses to store. */
  private readonly queue: Fill[] = [];
  private flushing: Promise<void> | undefined;

  constructor(private readonly ctx: RouterContext) {}

  /** A fill from the venue's stream: queued and published in arrival order. */
  onFill(fill: Fill): void {
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
        await this.publish(this.queue[0]!);
        this.queue.shift();
      }
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /**
   * Publishes one fill to FILLS (msgId venue:fillId), retrying until the stream has stored it, then moves
   * the fill watermark on. Resolves true when the stream had not stored it before.
   */
  async publish(fill: Fill): Promise<boolean> {
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
