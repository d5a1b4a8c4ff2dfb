import { D, toText } from '@perpetua/core';
import { beyondBps, bpsText } from './bps.js';
import type { QuoteCheck } from './types.js';

/**
 * No quote through the book: a buy above the best ask (a sell below the best
 * bid) by more than maxThroughBookBps is refused. Unset, post-only quotes get 0
 * (a post-only order that crosses cannot rest) and taker quotes are unchecked.
 * An empty opposite side has nothing to cross.
 */
export const checkPriceThroughBook: QuoteCheck = (c, _p, ctx, limits) => {
  const bps = limits.maxThroughBookBps ?? (c.quote.postOnly ? 0 : undefined);
  if (bps === undefined) return undefined;
  const buy = c.quote.side === 'buy';
  const touch = buy ? ctx.market?.bestAsk : ctx.market?.bestBid;
  if (touch === undefined) return undefined;
  const through = buy ? D.sub(c.price, touch) : D.sub(touch, c.price);
  if (through <= 0n || !beyondBps(through, touch, bps)) return undefined;
  const label = buy ? `buy ${c.quote.price} is above best ask` : `sell ${c.quote.price} is below best bid`;
  return `${label} ${toText(touch)} by ${bpsText(through, touch)} bps > max ${bps} bps`;
};
