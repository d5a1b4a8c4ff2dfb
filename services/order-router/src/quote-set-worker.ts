import type { SetQuotesCommand, Trace, WantedQuote } from '@perpetua/core';
import type { AmendResult } from '@perpetua/venues';
import { ClientOrderIds } from './client-order-ids.js';
import { errorText } from './error-text.js';
import { bookLabel, quoteBookKey } from './quote-book-key.js';
import { diffQuotes, sameDecimal, type LiveSlotOrder } from './quote-diff.js';
import type { RouterContext } from './router-context.js';
import { stateEventOfStatus } from './venue-order-events.js';

/**
 * Quote sets: makes the venue's resting orders of each quote book (a strategy's quotes on one symbol) match
 * its latest approved set with the fewest calls. One worker per book, always taking the newest pending set.
 */
export class QuoteSetWorker {
  private readonly ids = new ClientOrderIds();
  /** Latest command per quote book not yet worked on: newer sets replace older ones. */
  private readonly pending = new Map<string, SetQuotesCommand>();
  /** The worker of each quote book while it runs: stop() waits for them before its cancel-all. */
  private readonly workers = new Map<string, Promise<void>>();

  constructor(private readonly ctx: RouterContext) {}

  onSetQuotes(cmd: SetQuotesCommand): void {
    const book = quoteBookKey(cmd);
    this.pending.set(book, cmd);
    void this.work(book);
  }

  /** Drops the sets not yet worked (of one symbol when named): a halt or cancel-all supersedes them. */
  dropPending(symbol?: string): void {
    for (const [book, cmd] of this.pending) if (symbol === undefined || cmd.symbol === symbol) this.pending.delete(book);
  }

  /** Settles when every running worker has (bounded by the caller). */
  idle(): Promise<unknown> {
    return Promise.allSettled([...this.workers.values()]);
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
    const { ctx } = this;
    try {
      for (let cmd = this.pending.get(book); cmd && !ctx.stopped; cmd = this.pending.get(book)) {
        this.pending.delete(book);
        const limitedBefore = ctx.rateLimitedUntil;
        await this.apply(cmd);
        if (ctx.rateLimitedUntil > limitedBefore && !ctx.stopped) {
          // The venue's rate limit refused part of this set: work it again (or a newer one) once the pause is over.
          if (!this.pending.has(book)) this.pending.set(book, cmd);
          await ctx.sleep(Math.max(0, ctx.rateLimitedUntil - ctx.now()));
        }
      }
    } catch (err) {
      ctx.deps.logger.error({ err, book: bookLabel(book) }, 'applying a quote set failed');
    }
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
    const { ctx } = this;
    const received = ctx.now();
    const diff = diffQuotes(ctx.orders.quotesOf(quoteBookKey(cmd)), cmd.quotes, { amend: ctx.deps.adapter.amendOrder !== undefined });
    const cancels = new Map<string, LiveSlotOrder[]>();
    for (const o of diff.cancel) cancels.set(o.slot, [...(cancels.get(o.slot) ?? []), o]);
    const amends = new Map(diff.amend.map((a) => [a.order.slot, a.order]));
    const wanted = new Map([...diff.place.map((q) => [q.slot, q] as const), ...diff.amend.map((a) => [a.order.slot, a.to] as const)]);
    const touched = [...new Set([...wanted.keys(), ...cancels.keys()])];
    await Promise.all(touched.map((slot) => this.applySlot(cmd, slot, cancels.get(slot) ?? [], amends.get(slot), wanted.get(slot), received)));
    ctx.showLive();
  }

  private async applySlot(
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
    const result = await adapter.placeOrder({ clientOrderId, symbol: cmd.symbol, side: q.side, type: 'limit', price: q.price, qty: q.qty, tif: q.postOnly ? 'post_only' : 'gtc', reduceOnly: false });
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
      result = await amendOrder.call(adapter, cmd.symbol, o.clientOrderId, { side: q.side, price: q.price, qty: q.qty });
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
