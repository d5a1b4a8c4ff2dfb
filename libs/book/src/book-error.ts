/** A rejected book update or query. The book is left exactly as it was before the call. */
export class BookError extends Error {
  override readonly name = 'BookError';
}
