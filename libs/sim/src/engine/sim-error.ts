/** Thrown by engine queries given an unknown symbol (façades check `instrument(symbol)` first) or a bad lever call. */
export class SimError extends Error {
  override name = 'SimError';
}
