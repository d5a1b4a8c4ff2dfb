import type { CancelAllCommand, RiskStateMessage } from '@perpetua/core';
import type { QuoteSetWorker } from './quote-set-worker.js';
import type { RouterContext } from './router-context.js';

/**
 * Pulling everything: the halt that risk.state carries (while set, every resting order is cancelled and
 * nothing new is placed) and the cancel-all command. Quote sets not yet worked are dropped, the venue's
 * cancel-all goes out, and the quote orders it covered are closed.
 */
export class KillSwitch {
  constructor(
    private readonly ctx: RouterContext,
    private readonly quotes: QuoteSetWorker,
  ) {}

  get isHalted(): boolean {
    return this.ctx.halted;
  }

  /** A halt set while this router was down still holds: the router starts halted. */
  async restoreHalt(): Promise<void> {
    this.ctx.riskHalted = (await this.ctx.deps.store.getHalt()).halted;
  }

  /** risk.state carries the kill switch: on a halt, cancel everything at once. */
  onRiskState(st: RiskStateMessage): void {
    const { ctx } = this;
    if (st.halted === ctx.riskHalted) return;
    const was = ctx.halted;
    ctx.riskHalted = st.halted;
    if (was === ctx.halted) return; // a position halt holds either way
    if (!st.halted) {
      ctx.deps.logger.warn({ venue: ctx.venue }, 'halt lifted: quoting may resume');
      return;
    }
    this.quotes.dropPending();
    ctx.deps.logger.warn({ venue: ctx.venue, reason: st.reason }, 'halted: cancelling every order on the venue');
    void this.cancelEverything();
  }

  /** A position difference beyond tolerance halts this account like the kill switch (cancel all, place nothing); within it again, it lifts. */
  setPositionHalt(reason: string | undefined): void {
    const { ctx } = this;
    const was = ctx.halted;
    ctx.positionHalt = reason;
    if (was === ctx.halted) return;
    if (!ctx.halted) {
      ctx.deps.logger.warn({ venue: ctx.venue }, 'position halt lifted: quoting may resume');
      return;
    }
    this.quotes.dropPending();
    ctx.deps.logger.warn({ venue: ctx.venue, reason }, 'position halt: cancelling every order on the venue');
    void this.cancelEverything();
  }

  private async cancelEverything(): Promise<void> {
    const { ctx } = this;
    const { adapter, logger } = ctx.deps;
    try {
      const n = await adapter.cancelAll();
      ctx.m.killCancels.inc({ venue: ctx.venue }, n);
    } catch (err) {
      ctx.m.errors.inc({ venue: ctx.venue, call: 'cancel_all' });
      logger.error({ err }, 'cancel-all on halt failed; retrying once');
      await adapter.cancelAll().catch((e: unknown) => logger.error({ err: e }, 'cancel-all on halt failed again'));
    }
    // Taken as closed even if both tries failed (as before): while halted nothing new is placed beside them.
    for (const id of ctx.orders.quoteIds()) ctx.orders.apply(id, 'gone');
    ctx.showLive();
  }

  /** Cancels every order on the venue (of one symbol when named) and closes the quote orders it covered. */
  async onCancelAll(cmd: CancelAllCommand): Promise<void> {
    const { ctx } = this;
    ctx.deps.logger.warn({ symbol: cmd.symbol, reason: cmd.reason }, 'cancel-all command');
    this.quotes.dropPending(cmd.symbol);
    try {
      await ctx.deps.adapter.cancelAll(cmd.symbol);
    } catch (err) {
      ctx.m.errors.inc({ venue: ctx.venue, call: 'cancel_all' });
      ctx.deps.logger.error({ err }, 'cancel-all command failed');
      return;
    }
    for (const id of ctx.orders.quoteIds(cmd.symbol)) ctx.orders.apply(id, 'gone');
    ctx.showLive();
  }
}
