import type { SetCheck } from './types.js';

/** A halted risk (manual, daily loss, drawdown) approves nothing. */
export const checkHalted: SetCheck = (ctx) => {
  if (!ctx.halted) return undefined;
  return ctx.haltReason ? `trading is halted: ${ctx.haltReason}` : 'trading is halted';
};
