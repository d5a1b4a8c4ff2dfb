import type { SetQuotesCommand, WantedQuote } from '@perpetua/core';

let seq = 0;

/** A risk-approved quote set as the router receives it, with a fresh command and intent id each time. */
export function setQuotes(to: { venue: string; account: string; strategy?: string }, quotes: WantedQuote[]): SetQuotesCommand {
  seq++;
  return { type: 'set_quotes', commandId: `c${seq}`, venue: to.venue, account: to.account, strategy: to.strategy ?? 'mm', symbol: 'BTC-PERP', intentId: `i${seq}`, quotes, ts: Date.now() };
}

/** One post-only bid (slot bid-0) and one post-only ask (ask-0). */
export function twoSided(bid: string, ask: string, qty = '0.01'): WantedQuote[] {
  return [
    { slot: 'bid-0', side: 'buy', price: bid, qty, postOnly: true },
    { slot: 'ask-0', side: 'sell', price: ask, qty, postOnly: true },
  ];
}
