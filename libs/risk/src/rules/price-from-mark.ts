import { D, toText } from '@perpetua/core';
import { beyondBps, bpsText } from './bps.js';
import type { QuoteCheck } from './types.js';

/**
 * No price farther than maxFromMarkBps from the mark (the book mid when there is
 * no mark). With the limit set and neither reference known, the quote is refused:
 * a band that cannot be checked is not enforced by approving.
 */
export const checkPriceFromMark: QuoteCheck = (c, _p, ctx, limits) => {
  const bps = limits.maxFromMarkBps;
  if (bps === undefined) return undefined;
  const m = ctx.market;
  const mark = m?.mark !== undefined && m.mark > 0n ? m.mark : undefined;
  const mid = m?.bestBid !== undefined && m.bestAsk !== undefined ? D.div(D.add(m.bestBid, m.bestAsk), D.dec(2)) : undefined;
  const reference = mark ?? mid;
  if (reference === undefined || reference <= 0n) return 'no mark or mid price to check the price band against';
  const distance = D.abs(D.sub(c.price, reference));
  if (!beyondBps(distance, reference, bps)) return undefined;
  return `price ${c.quote.price} is ${bpsText(distance, reference)} bps from ${mark !== undefined ? 'mark' : 'mid'} ${toText(reference)} > max ${bps} bps`;
};
