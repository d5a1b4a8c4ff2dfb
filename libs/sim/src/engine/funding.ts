import { type Decimal, mul, toText } from '@perpetua/core';
import type { EventFanOut } from './event-fan-out.js';
import type { SimFundingEvent } from './types.js';
import type { VenueState } from './venue-state.js';
import { fundingTimeAfter } from './mark-state.js';

/**
 * Settles funding on every open position of the symbol if its funding time has come: each position pays (or is
 * paid) qty x mark x rate into its wallet, at the symbol's mark and rate of that moment.
 */
export function settleFundingIfDue(state: VenueState, events: EventFanOut, symbol: string): void {
  const s = state.sym(symbol);
  const now = state.clock();
  if (now < s.mark.nextFundingTime) return;
  const { mark, fundingRate } = s.mark;
  s.mark.nextFundingTime = fundingTimeAfter(now, state.config.fundingIntervalMs);
  for (const account of state.accounts.values()) {
    if (account.house) continue;
    const pos = account.positions.get(symbol);
    if (!pos || pos.lots === 0) continue;
    const qty = s.rt.qty.toDecimal(pos.lots);
    // Longs pay shorts when the rate is positive.
    const amount = -mul(mul(qty, mark), fundingRate) as Decimal;
    account.wallet = (account.wallet + amount) as Decimal;
    const payment: SimFundingEvent = {
      type: 'funding',
      paymentId: String(++state.fundingSeq),
      venue: state.name,
      accountId: account.id,
      symbol,
      rate: s.mark.fundingRateText,
      markPrice: s.mark.markText,
      positionQty: toText(qty),
      amount: toText(amount),
      ts: now,
    };
    account.rememberFunding(payment);
    events.emit({ ...payment });
    events.emitBalance(account, 'funding', amount);
  }
}
