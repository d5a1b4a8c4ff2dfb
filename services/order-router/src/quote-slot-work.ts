import type { SetQuotesCommand, Trace, WantedQuote } from '@perpetua/core';
import type { AmendResult } from '@perpetua/venues';
import { ClientOrderIds } from './client-order-ids.js';
import { errorText } from './error-text.js';
import { stateEventOfStatus } from './order-state/index.js';
import { quoteBookKey } from './quote-book-key.js';
import { sameDecimal, type LiveSlotOrder } from './quote-diff.js';
import type { RouterContext } from './router-context.js';

/**
 * One slot of a quote set, worked in order: amend its order in place where the venue can, else cancel it
 * (confirmed) and place the wanted quote. Every step moves the order's state through the transition table;
 * a place whose answer was lost is settled by query, never sent again.
 */
export class QuoteSlotWork {
  private readonly ids = new ClientOrderIds();

  constructor(private readonly ctx: RouterContext) {}

  /** Works one slot: `cancel` its orders the diff dropped, `amend` its order to `q`, or place `q` once the slot is free. */
  async apply(
    cmd: SetQuotesCommand,
    slot: string,
    cancel: readonly LiveSlotOrder[],
    amend: LiveSlotOrder | undefined,
    q: WantedQuote | undefined,
    received: number,
  ): Promise<void> {
    const { ctx } = this;
    const { adapter, logger } = ctx.deps;
    const book = quoteBookKey(cmd);
    const toCancel = [...cancel];
    if (amend && q) {
      const outcome = await this.amendSlot(cmd, amend, q, received);
      if (outcome === 'done') return;
      // Refused or found unlike the wanted quote: settled the safe way, its cancel confirmed before a new place.
      toCancel.push(amend);
    }
    for (const o of toCancel) {
      ctx.orders.apply(o.clientOrderId, 'cancel_sent');
      try {
        await adapter.cancelOrder(cmd.symbol, o.clientOrderId);
        // Cancelled, or no longer open: either way it rests no more.
        ctx.orders.apply(o.clientOrderId, 'gone');
      } catch (err) {
        ctx.orders.apply(o.clientOrderId, 'answer_lost');
        ctx.m.errors.inc({ venue: ctx.venue, call: 'cancel' });
        logger.error({ err, clientOrderId: o.clientOrderId }, 'cancel failed; slot kept until resolved');
      }
    }
    if (!q || ctx.halted || ctx.stopped) return; // nothing to place, or the kill switch or a stop landed while this set was being worked
    const clientOrderId = this.ids.next();
    // Refused while the slot's old order is live (its cancel failed): a slot never holds two live orders.
    if (!ctx.orders.placeQuote(book, cmd.symbol, { slot, clientOrderId, side: q.side, price: q.price, qty: q.qty, postOnly: q.postOnly })) return;
    const result = await ctx.request(() =>
      adapter.placeOrder({ clientOrderId, symbol: cmd.symbol, side: q.side, type: 'limit', price: q.price, qty: q.qty, tif: q.postOnly ? 'post_only' : 'gtc', reduceOnly: false }),
    );
    const trace: Trace = { ...cmd.trace, 'router.recv': received, 'router.sent': ctx.now() };
    ctx.traceSent(trace, { symbol: cmd.symbol, clientOrderId, kind: 'place', price: q.price, qty: q.qty });
    // Placed while the halt's cancel-all was already under way: pull it now.
    if (ctx.halted && result.status !== 'rejected') await ctx.cancelQuietly(cmd.symbol, clientOrderId);
    if (result.status === 'accepted') {
      ctx.countPlaced();
      // Pending counts as resting, as in the venue's own events; a status neither open nor closed frees the slot, as before.
      ctx.orders.apply(clientOrderId, stateEventOfStatus(result.orderStatus) === 'rests' ? 'acked' : 'gone');
    } else if (result.status === 'rejected') {
      ctx.orders.apply(clientOrderId, 'refused');
      if (result.rateLimited) {
        ctx.countRateLimited(result.rateLimited.retryAfterMs);
        logger.debug({ clientOrderId, reason: result.reason }, 'place refused by the rate limit: the set is worked again after the pause');
        return;
      }
      ctx.countRejected();
      logger.debug({ clientOrderId, reason: result.reason }, 'order rejected');
    } else {
      // Unknown: never re-sent blindly. A query says whether the venue has it; until one answers, the slot stays occupied.
      ctx.orders.apply(clientOrderId, 'answer_lost');
      await this.resolveUnknown(cmd.symbol, clientOrderId);
    }
  }

  /**
   * Amends a slot's order to the wanted quote. 'done': it rests as wanted (or a halt, stop or unanswered query
   * leaves the slot as it is, occupied, for the next set or the cancel-all); 'replace': the venue refused (the order
   * may be gone or unchanged) or a query found it unlike the wanted quote, so the caller cancels it (confirmed)
   * and places anew.
   */
  private async amendSlot(cmd: SetQuotesCommand, o: LiveSlotOrder, q: WantedQuote, received: number): Promise<'done' | 'replace'> {
    const { ctx } = this;
    const { adapter, logger } = ctx.deps;
    const amendOrder = adapter.amendOrder;
    if (!amendOrder) return 'replace';
    if (ctx.halted || ctx.stopped) return 'done';
    ctx.orders.apply(o.clientOrderId, 'amend_sent');
    let result: AmendResult;
    try {
      result = await ctx.request(() => amendOrder.call(adapter, cmd.symbol, o.clientOrderId, { side: q.side, price: q.price, qty: q.qty }));
    } catch (err) {
      // Not the venue's answer: whether the amend landed is a question for queryOrder.
      result = { status: 'unknown', reason: errorText(err) };
    }
    const trace: Trace = { ...cmd.trace, 'router.recv': received, 'router.sent': ctx.now() };
    ctx.traceSent(trace, { symbol: cmd.symbol, clientOrderId: o.clientOrderId, kind: 'amend', price: q.price, qty: q.qty });
    if (result.status === 'accepted') {
      const next = stateEventOfStatus(result.orderStatus) === 'gone' ? 'gone' : 'acked';
      // Count and record before a close: a fill or cancel event may have closed it meanwhile, then nothing is recorded.
      this.amended(o, q);
      ctx.orders.apply(o.clientOrderId, next);
      return 'done';
    }
    if (result.status === 'rejected') {
      ctx.orders.apply(o.clientOrderId, 'refused');
      logger.debug({ clientOrderId: o.clientOrderId, reason: result.reason }, 'amend rejected: replacing the order');
      return 'replace';
    }
    ctx.orders.apply(o.clientOrderId, 'answer_lost');
    const outcome = await ctx.queryUntilKnown(() => adapter.queryOrder(cmd.symbol, o.clientOrderId), o.clientOrderId, 'after an unanswered amend');
    if (outcome.known) {
      const found = outcome.value;
      if (!found || stateEventOfStatus(found.status) !== 'rests') {
        ctx.orders.apply(o.clientOrderId, 'gone');
        return 'replace';
      }
      ctx.orders.apply(o.clientOrderId, 'rests');
      if (found.price !== undefined && sameDecimal(found.price, q.price) && sameDecimal(found.qty, q.qty)) {
        this.amended(o, q);
        return 'done';
      }
      return 'replace';
    }
    // Unknown still: the slot keeps the order as last known; the next set amends or cancels it by client id.
    logger.warn({ clientOrderId: o.clientOrderId }, 'amend still unknown after queries: slot stays occupied');
    return 'done';
  }

  /** An amend the venue confirmed: the slot's order (same client id) now carries the wanted price and qty. */
  private amended(o: LiveSlotOrder, q: WantedQuote): void {
    this.ctx.stats.amended++;
    this.ctx.m.amended.inc({ venue: this.ctx.venue });
    this.ctx.orders.setQuotePrice(o.clientOrderId, q.price, q.qty);
  }

  /**
   * Settles a place whose answer was lost. Found open: the slot keeps it. Found closed or not found: the
   * slot is freed (should a delayed request still land, its open event finds no owner and is cancelled).
   * No answer from the queries: the slot stays occupied (unknown), so the next quote set cancels it by client
   * id before placing, and a slot never holds two live orders.
   */
  private async resolveUnknown(symbol: string, clientOrderId: string): Promise<void> {
    const { ctx } = this;
    const outcome = await ctx.queryUntilKnown(() => ctx.deps.adapter.queryOrder(symbol, clientOrderId), clientOrderId, 'of an unknown order');
    if (!outcome.known) {
      ctx.deps.logger.warn({ clientOrderId }, 'order still unknown: its slot stays occupied until a cancel settles it');
      return;
    }
    const found = outcome.value;
    const event = found ? stateEventOfStatus(found.status) : 'gone';
    if (event === 'gone') ctx.orders.apply(clientOrderId, 'gone');
    else if (event === 'rests') {
      ctx.orders.apply(clientOrderId, 'rests');
      // Counted once the venue has it (not while it is still pending there), as the venue's own answer is.
      if (found?.status !== 'pending') ctx.countPlaced();
    }
  }
}
