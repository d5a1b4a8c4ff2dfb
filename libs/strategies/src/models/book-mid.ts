import type { BookMessage } from '@perpetua/core';

/** The mid of a book's best levels; undefined for a one-sided, crossed or stale book. */
export function bookMid(book: BookMessage): number | undefined {
  if (book.stale) return undefined;
  const bid = book.bids[0]?.[0];
  const ask = book.asks[0]?.[0];
  if (bid === undefined || ask === undefined || !(ask > bid)) return undefined;
  return (bid + ask) / 2;
}
