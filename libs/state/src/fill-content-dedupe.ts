import type { Fill } from '@perpetua/core';
import { canonicalDecimal, isDecimalText } from '@perpetua/core';

/**
 * One venue can tell the same trade twice under two ids: StandX's private stream may carry no trade id (the adapter
 * then makes the fill id from the trade's content, `idFromContent`), while query_trades, read by the router's
 * reconcile, carries the venue's id. The fill-id dedupe cannot see that these are one trade; this rule can.
 *
 * Per content (account, symbol, venue order, exchange time, price, size) of a venue, a mark says what was booked:
 * - absent: nothing with this content;
 * - 's': a content-id fill, not yet matched by a venue-id fill;
 * - 'b': venue-id fills only (or a content-id fill that came after one: it was a duplicate);
 * - 'c:<id>': the content-id fill was matched by the venue-id fill <id>.
 *
 * A content-id fill is a duplicate of any fill booked with its content. A venue-id fill is a duplicate of an
 * unmatched content-id fill of its content (and then matches it), or of the one venue id that matched it. Two fills
 * that both have venue ids never collide by content: distinct trades may share it (an order sweeping two resting
 * orders of one size at one price in one millisecond). So per content the fills booked are the distinct venue ids
 * told, or one when only the stream told it: whatever the order the two paths deliver in.
 *
 * The Redis store runs the same rule in Lua (redis-scripts.ts); the contract suite holds both to it.
 */
export type ContentMark = 's' | 'b' | `c:${string}`;

export interface ContentVerdict {
  duplicate: boolean;
  /** The mark to store; undefined leaves it as it was. */
  next: ContentMark | undefined;
}

/** How long (exchange time, ms) and how many contents a venue's marks are kept: far beyond any re-read of fills. */
export const FILL_CONTENT_WINDOW_MS = 24 * 3600_000;
export const FILL_CONTENT_MAX_ENTRIES = 200_000;

/**
 * The content a fill is known by, unique per venue; undefined without a venue order id (then only its id counts).
 * Decimals in canonical form, so "0.010" and "0.01" are one size.
 */
export function fillContentKey(fill: Pick<Fill, 'account' | 'symbol' | 'venueOrderId' | 'tsExchange' | 'price' | 'qty'>): string | undefined {
  if (fill.venueOrderId === undefined) return undefined;
  return JSON.stringify([fill.account, fill.symbol, fill.venueOrderId, fill.tsExchange, canonical(fill.price), canonical(fill.qty)]);
}

/** Never throws: the router keys fills before any schema check, and a fill must not be lost to its key. */
const canonical = (text: string): string => (isDecimalText(text) ? canonicalDecimal(text) : text);

/** The rule for one fill against its content's mark (the fill-id check comes first, elsewhere). */
export function contentVerdict(mark: ContentMark | undefined, fill: Pick<Fill, 'fillId' | 'idFromContent'>): ContentVerdict {
  if (fill.idFromContent === true) return mark === undefined ? { duplicate: false, next: 's' } : { duplicate: true, next: undefined };
  if (mark === 's') return { duplicate: true, next: `c:${fill.fillId}` };
  if (mark === `c:${fill.fillId}`) return { duplicate: true, next: undefined };
  return { duplicate: false, next: mark ?? 'b' };
}
