import type { CancelOrderCommand, OrderEvent, PlaceOrderCommand, Trace } from '@perpetua/core';
import { errorText } from './error-text.js';
import type { RouterContext } from './router-context.js';
import { stateEventOfStatus } from './order-state/index.js';
import type { VenueOrderEvents } from './venue-order-events.js';

/**
 * Orders outside any quote set (an arbitrage leg, hedge or unwind; IOC/FOK), by place and cancel command.
 * Their outcome always reaches order.event.<venue>: the venue's own events, plus a 'rejected' event when the
 * venue refused it over REST (or trading is halted), and, when the answer was lost, whatever a query finds
 * (never a blind retry).
 */
export class ImmediateOrders {
  constructor(
    private readonly ctx: RouterContext,
    private readonly events: VenueOrderEvents,
  ) {}

  async place(cmd: PlaceOrderCommand): Promise<void> {
    const { ctx } = this;
    const { adapter } = ctx.deps;
    const received = ctx.now();
    ctx.orders.placeImmediate(cmd.clientOrderId, cmd.symbol, { side: cmd.side, qty: cmd.qty, ...(cmd.price ? { price: cmd.price } : {}) });
    let result;
    try {
      result = await ctx.request(() =>
        adapter.placeOrder({ clientOrderId: cmd.clientOrderId, symbol: cmd.symbol, side: cmd.side, type: cmd.orderType, ...(cmd.price ? { price: cmd.price } : {}), qty: cmd.qty, tif: cmd.tif, reduceOnly: cmd.reduceOnly }),
      );
    } catch (err) {
      result = { status: 'rejected' as const, reason: errorText(err) };
    }
    const trace: Trace = { ...cmd.trace, 'router.recv': received, 'router.sent': ctx.now() };
    ctx.traceSent(trace, { symbol: cmd.symbol, clientOrderId: cmd.clientOrderId });
    if (result.status === 'accepted') {
      ctx.countPlaced();
      // Done already (an IOC that filled): left to the stream's own closing event, so a late open event of it is not taken for a stray.
      if (stateEventOfStatus(result.orderStatus) === 'rests') ctx.orders.apply(cmd.clientOrderId, 'acked');
      return;
    }
    if (result.status === 'rejected') {
      if (result.rateLimited) ctx.countRateLimited(result.rateLimited.retryAfterMs);
      else ctx.countRejected();
      ctx.orders.apply(cmd.clientOrderId, 'refused');
      this.event(cmd, 'rejected', result.reason.slice(0, 500));
      return;
    }
    ctx.orders.apply(cmd.clientOrderId, 'answer_lost');
    const outcome = await ctx.queryUntilKnown(() => adapter.queryOrder(cmd.symbol, cmd.clientOrderId), cmd.clientOrderId, 'after an unanswered immediate place');
    if (!outcome.known) {
      ctx.deps.logger.warn({ clientOrderId: cmd.clientOrderId }, 'immediate order still unknown after queries: its fills, if any, arrive on the fill stream');
      return;
    }
    const found = outcome.value;
    // The event moves the order's state like the venue's own would.
    if (!found) this.event(cmd, 'rejected', `not at the venue after an unanswered place (${result.reason})`.slice(0, 500));
    else this.event(cmd, found.status, 'found by query after an unanswered place', found.filledQty);
  }

  /** A place risk approved just before the halt: it is not sent, and whoever waits for it hears why. */
  refuseHalted(cmd: PlaceOrderCommand): void {
    this.event(cmd, 'rejected', 'trading is halted');
  }

  async cancel(cmd: CancelOrderCommand): Promise<void> {
    if (await this.ctx.cancelQuietly(cmd.symbol, cmd.clientOrderId)) this.ctx.orders.apply(cmd.clientOrderId, 'gone');
  }

  private event(cmd: PlaceOrderCommand, status: OrderEvent['status'], reason: string, filledQty = '0'): void {
    const { ctx } = this;
    this.events.onOrderEvent({
      venue: ctx.venue,
      account: ctx.account,
      symbol: cmd.symbol,
      clientOrderId: cmd.clientOrderId,
      side: cmd.side,
      ...(cmd.price ? { price: cmd.price } : {}),
      qty: cmd.qty,
      filledQty,
      status,
      reason,
      ts: ctx.now(),
    });
  }
}
