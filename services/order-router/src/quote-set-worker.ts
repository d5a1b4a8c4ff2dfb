import { MAX_SKIPPED_QUOTE_SETS, baseSlot, subjects, twinSlot, type SetQuotesCommand } from '@perpetua/core';
import { bookLabel, quoteBookKey } from './quote-book-key.js';
import { diffQuotes, type LiveSlotOrder } from './quote-diff.js';
import type { RouterContext } from './router-context.js';
import { QuoteSlotWork } from './quote-slot-work.js';

/**
 * Quote sets: makes the venue's resting orders of each quote book (a strategy's quotes on one symbol) match
 * its latest approved set with the fewest calls. One worker per book, always taking the newest pending set;
 * each set is diffed against the book's owned orders and its slots worked in parallel (QuoteSlotWork).
 */
export class QuoteSetWorker {
  private readonly slotWork: QuoteSlotWork;
  /** Latest command per quote book not yet worked on: newer sets replace older ones. */
  private readonly pending = new Map<string, SetQuotesCommand>();
  /** The worker of each quote book while it runs: stop() waits for them before its cancel-all. */
  private readonly workers = new Map<string, Promise<void>>();
  /**
   * Per quote book, the intent ids of the latest sets a worker took (bounded): replacing one of these is not
   * a skip (a rate-limited set goes back to `pending`; a set may be delivered twice).
   */
  private readonly taken = new Map<string, string[]>();
  /** Per quote book, the intent ids of sets replaced before any worker took them: named when the next set is taken. */
  private readonly skipped = new Map<string, string[]>();

  constructor(private readonly ctx: RouterContext) {
    this.slotWork = new QuoteSlotWork(ctx);
  }

  onSetQuotes(cmd: SetQuotesCommand): void {
    const book = quoteBookKey(cmd);
    const replaced = this.pending.get(book);
    // The same set delivered again is still worked: only a different set never taken is skipped.
    if (replaced && replaced.intentId !== cmd.intentId && !this.wasTaken(book, replaced.intentId)) this.noteSkipped(book, replaced.intentId);
    this.pending.set(book, cmd);
    void this.work(book);
  }

  /** Drops the sets not yet worked (of one symbol when named): a halt or cancel-all supersedes them. */
  dropPending(symbol?: string): void {
    for (const [book, cmd] of this.pending) {
      if (symbol !== undefined && cmd.symbol !== symbol) continue;
      this.pending.delete(book);
      if (!this.wasTaken(book, cmd.intentId)) this.noteSkipped(book, cmd.intentId);
    }
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
        this.reportTaken(book, cmd);
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

  private wasTaken(book: string, intentId: string): boolean {
    return this.taken.get(book)?.includes(intentId) ?? false;
  }

  private noteSkipped(book: string, intentId: string): void {
    const ids = this.skipped.get(book) ?? [];
    if (!ids.includes(intentId)) ids.push(intentId);
    // Bounded: beyond it the oldest go unnamed, and risk's timeout ends their approvals as before.
    if (ids.length > MAX_SKIPPED_QUOTE_SETS) ids.splice(0, ids.length - MAX_SKIPPED_QUOTE_SETS);
    this.skipped.set(book, ids);
  }

  /**
   * Tells risk which set this book's worker now works and which it skipped: the skipped sets' approvals
   * never get an order event, and would otherwise count as in flight until risk's timeout.
   */
  private reportTaken(book: string, cmd: SetQuotesCommand): void {
    const { ctx } = this;
    const again = this.wasTaken(book, cmd.intentId);
    if (!again) {
      const ids = this.taken.get(book) ?? [];
      ids.push(cmd.intentId);
      if (ids.length > MAX_SKIPPED_QUOTE_SETS) ids.shift();
      this.taken.set(book, ids);
    }
    const skipped = (this.skipped.get(book) ?? []).filter((id) => id !== cmd.intentId);
    this.skipped.delete(book);
    if (again && skipped.length === 0) return;
    ctx.deps.bus.publish(subjects.quoteSetTaken(ctx.venue), { venue: ctx.venue, account: ctx.account, strategy: cmd.strategy, symbol: cmd.symbol, intentId: cmd.intentId, skipped, ts: ctx.now() });
  }

  /**
   * Makes the symbol's resting orders match the set. Slots are worked in parallel,
   * each in order: a slot whose order differs only in price and/or qty is amended in
   * place where the venue can (one call, same client id); otherwise its old order's
   * cancel is confirmed before its new order is sent (a slot never has two live
   * orders), but no slot waits for another's calls — a set's latency is one cancel
   * plus one place (or one amend), not the sum of them all. The one wait: a quote
   * moved to its slot's make-before-break twin (`bid-0` → `bid-0-r`) is placed
   * before the old slot's order is cancelled, so the side is never empty between
   * the two (a cancel that wins the race opened the very gap the twin is for).
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
    const work = new Map<string, Promise<void>>();
    const deferred: string[] = [];
    for (const slot of touched) {
      // make_before_break: a slot only cancelled while its twin places the quote that moved waits for that place.
      if (!wanted.has(slot) && wanted.has(twinOf(slot))) deferred.push(slot);
      else work.set(slot, this.slotWork.apply(cmd, slot, cancels.get(slot) ?? [], amends.get(slot), wanted.get(slot), received));
    }
    for (const slot of deferred) work.set(slot, work.get(twinOf(slot))!.then(() => this.slotWork.apply(cmd, slot, cancels.get(slot) ?? [], undefined, undefined, received)));
    await Promise.all(work.values());
    ctx.showLive();
  }
}

/** A slot's make-before-break other name: `bid-0` ↔ `bid-0-r`. */
function twinOf(slot: string): string {
  const base = baseSlot(slot);
  return base === slot ? twinSlot(slot) : base;
}
