/** What was read back from the store is not something this code wrote: refuse rather than book on it. */
export class StateCorruptError extends Error {
  override name = 'StateCorruptError';
}

/** Input to the store failed validation (a malformed fill, amount or order). */
export class StateInputError extends Error {
  override name = 'StateInputError';
}

/** A write kept losing compare-and-set races to other writers and gave up. */
export class StateConflictError extends Error {
  override name = 'StateConflictError';
}

/** The store was used after close(). */
export class StateClosedError extends Error {
  override name = 'StateClosedError';
}

/** A write stamped with a fencing token older than one already seen for its scope (a stale leader), or with none. */
export class StateFencedError extends Error {
  override name = 'StateFencedError';
}
