import type { ArbCloseReason, BookMessage } from '@perpetua/core';

/**
 * Whether a book can be traded against, and if not why: flagged stale by its
 * gateway, one-sided or empty (missing), crossed, or levels out of order within
 * the depth used (invalid: the edge walk relies on asks rising and bids falling).
 */
export function bookProblem(book: Pick<BookMessage, 'stale' | 'bids' | 'asks'>, depth: number): ArbCloseReason | undefined {
  if (book.stale) return 'stale';
  const { bids, asks } = book;
  const bid = bids[0];
  const ask = asks[0];
  if (bid === undefined || ask === undefined) return 'missing';
  if (bid[0] >= ask[0]) return 'crossed';
  const nA = Math.min(asks.length, depth);
  for (let k = 1; k < nA; k++) if (asks[k]![0] < asks[k - 1]![0]) return 'invalid';
  const nB = Math.min(bids.length, depth);
  for (let k = 1; k < nB; k++) if (bids[k]![0] > bids[k - 1]![0]) return 'invalid';
  return undefined;
}
