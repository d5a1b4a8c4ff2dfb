import type { SetQuotesCommand } from '@perpetua/core';

/** A strategy's quotes on one symbol: the unit the router diffs and works. */
export function quoteBookKey(cmd: Pick<SetQuotesCommand, 'strategy' | 'symbol'>): string {
  return `${cmd.strategy}\u0000${cmd.symbol}`;
}

export function strategyOfBook(book: string): string {
  return book.slice(0, book.indexOf('\u0000'));
}

export function symbolOfBook(book: string): string {
  return book.slice(book.indexOf('\u0000') + 1);
}

/** For logs: the separator is not printable. */
export function bookLabel(book: string): string {
  return book.replace('\u0000', ' ');
}
