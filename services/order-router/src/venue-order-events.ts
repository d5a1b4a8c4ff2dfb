import { subjects, type OrderEvent } from '@perpetua/core';
import type { RouterContext } from './router-context.js';
import { stateEventOfStatus } from './order-state/index.js';
import { strategyOfBook } from './quote-book-key.js';

/**
 * The venue's order events (and the router's own, for orders the venue never answered): each moves its
 * order's state, and goes out durably on order.event.<venue> tagged with the strategy and slot it holds.
 * An open order the router does not own is cancelled as a stray.
 */
export class VenueOrderEvents {
  /** Open orders on the venue that the router does not own, being cancelled (each once). */
  private readonly strayCancels = new Set<string>();

  constructor(private readonly ctx: RouterContext) {}

  onOrderEvent(venueEvent: OrderEvent): void {
    const { ctx } = this;
    // Tagged with the strategy and slot it holds (looked up before a close forgets it): a strategy knows what of its own rests.
    const owner = ctx.orders.ownerOf(venueEvent.clientOrderId);
    const event: OrderEvent = owner?.kind === 'quote' ? { ...venueEvent, strategy: strategyOfBook(owner.book), slot: owner.slot } : venueEvent;
    if (event.status === 'canceled') {
      ctx.stats.cancelled++;
      ctx.m.cancelled.inc({ venue: ctx.venue });
    }
    const stateEvent = stateEventOfStatus(event.status);
    if (stateEvent === 'gone') ctx.orders.apply(event.clientOrderId, 'gone');
    else if (stateEvent === 'rests' && event.account === ctx.account) {
      // Owned: it rests (refused for an order already closed, which is then no longer owned). Not owned: a stray.
      if (ctx.orders.apply(event.clientOrderId, 'rests') === undefined) this.cancelStray(event);
    }
    const msgId = `${event.venue}:${event.clientOrderId}:${event.status}:${event.filledQty}`;
    ctx.deps.bus.publishDurable('orderEvents', subjects.orderEvent(event.venue), event, msgId).catch((err: unknown) => {
      ctx.deps.logger.error({ err }, 'publishing an order event failed');
    });
  }

  /**
   * An open order the router does not own (a place thought lost that landed late, one left from a
   * previous run): it must not rest beside the slot's own order, so it is cancelled.
   */
  private cancelStray(event: OrderEvent): void {
    const id = event.clientOrderId;
    if (this.strayCancels.has(id) || this.ctx.stopped) return;
    this.strayCancels.add(id);
    this.ctx.deps.logger.warn({ clientOrderId: id }, 'open order the router does not own: cancelling it');
    void this.ctx.cancelQuietly(event.symbol, id).finally(() => this.strayCancels.delete(id));
  }
}
